package io.github.dartrl.grpo.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dartrl.core.io.ModelFormatException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a checkpoint may be continued by a trainer configured as now: same GRPO config,
 * same policies, same prompt template, same base model and training-set size. A mismatch is refused
 * with one line per differing field (checkpoint value vs now), because continuing a run with
 * another learning rate, group size, seed or model silently produces a run that is neither the old
 * one nor a new one.
 *
 * <p>Fields that do not change what is learned may differ, and are logged: {@code totalSteps}
 * (resuming with more steps extends the run; the learning-rate schedule is then that of the new
 * total), {@code microBatchSize} (gradient accumulation; equal up to float rounding), {@code
 * checkpointEvery}, {@code keepCheckpoints}, {@code evalEvery}, {@code evalBatchSize}, {@code
 * logEntropy}, and the adapters' initialisation {@code seed} (the checkpoint's weights replace the
 * initial ones). A checkpoint that stored its config as text (before it was stored as JSON) is
 * accepted with a warning that nothing could be compared.
 */
final class CheckpointCompatibility {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointCompatibility.class);

  /** GrpoConfig fields that may change on resume. */
  static final Set<String> MAY_CHANGE =
      Set.of(
          "totalSteps",
          "microBatchSize",
          "checkpointEvery",
          "keepCheckpoints",
          "evalEvery",
          "evalBatchSize",
          "logEntropy");

  private CheckpointCompatibility() {}

  /**
   * Checks a checkpoint against the trainer about to continue it.
   *
   * @param saved the checkpoint's validated state
   * @param now the trainer's config, policies and model
   * @param trainSize the size of the trainer's training set
   * @throws IllegalStateException listing every difference that is not allowed
   * @throws ModelFormatException if a learner the trainer has is not in the checkpoint
   */
  static void check(TrainerStateFile.Saved saved, RunIdentity now, int trainSize) {
    Path file = saved.file();
    for (String name : now.policies().keySet()) {
      if (!saved.learners().containsKey(name)) {
        throw new ModelFormatException(
            file,
            "learners." + name,
            "checkpoint has no learner named " + name + ", it has " + saved.learners().keySet());
      }
    }
    List<String> refused = new ArrayList<>();
    List<String> allowed = new ArrayList<>();
    now.policies()
        .forEach(
            (name, policy) -> {
              String method = saved.learners().get(name).method();
              String methodNow = policy.path("method").asText();
              if (!method.equals(methodNow)) {
                refused.add(line("learners." + name + ".method", method, methodNow));
              }
            });
    int savedSize = saved.state().cursor().size();
    if (savedSize != trainSize) {
      refused.add(line("training set size", savedSize + " examples", trainSize + " examples"));
    }
    RunIdentity old = saved.identity();
    if (old == null) {
      LOG.warn(
          "{} was written before dart4j recorded the config as JSON: cannot check that the"
              + " config and model are those of the checkpoint",
          file);
    } else {
      diff("config", old.config(), now.config(), MAY_CHANGE, refused, allowed);
      now.policies()
          .forEach(
              (name, policy) -> {
                JsonNode before = old.policies().get(name);
                if (before != null) {
                  diff(
                      "learners." + name + ".policy_config",
                      before,
                      policy,
                      Set.of("seed"),
                      refused,
                      allowed);
                }
              });
      if (old.template() != null) {
        diff("prompt_template", old.template(), now.template(), Set.of(), refused, allowed);
      }
      compareModels(old.model(), now.model(), refused);
    }
    if (!refused.isEmpty()) {
      throw new IllegalStateException(
          "cannot resume from "
              + file.getParent()
              + ": it was trained with other settings ("
              + refused.size()
              + " differ, checkpoint vs now):\n  "
              + String.join("\n  ", refused)
              + "\nresume with the checkpoint's settings, or start a new run in another directory");
    }
    if (!allowed.isEmpty()) {
      LOG.info(
          "resuming {} with changed settings that do not alter what is learned: {}",
          file.getParent(),
          String.join("; ", allowed));
    }
  }

  private static void compareModels(ModelIdentity old, ModelIdentity now, List<String> refused) {
    if (old == null || now == null) {
      if (old != now) {
        LOG.warn(
            "the base model cannot be compared: the checkpoint records {}, the trainer {}",
            old == null ? "none" : old.path(),
            now == null ? "none" : now.path());
      }
      return;
    }
    if (!old.sameContent(now)) {
      refused.add(line("model", old.describe(), now.describe()));
    } else if (!old.path().equals(now.path())) {
      LOG.warn(
          "the base model moved from {} to {}; its config.json and weight file sizes are the"
              + " same, continuing",
          old.path(),
          now.path());
    }
  }

  /** Adds one line per leaf (dotted path) whose value differs. */
  private static void diff(
      String prefix,
      JsonNode old,
      JsonNode now,
      Set<String> mayChange,
      List<String> refused,
      List<String> allowed) {
    Map<String, JsonNode> a = new LinkedHashMap<>();
    Map<String, JsonNode> b = new LinkedHashMap<>();
    flatten("", old, a);
    flatten("", now, b);
    Map<String, JsonNode> keys = new LinkedHashMap<>(b);
    a.forEach(keys::putIfAbsent);
    for (String k : keys.keySet()) {
      JsonNode x = a.get(k);
      JsonNode y = b.get(k);
      if (!Objects.equals(x, y)) {
        String text = line(prefix + "." + k, show(x), show(y));
        (mayChange.contains(k) ? allowed : refused).add(text);
      }
    }
  }

  private static void flatten(String path, JsonNode n, Map<String, JsonNode> out) {
    if (n.isObject() && !n.isEmpty()) {
      n.properties()
          .forEach(
              e ->
                  flatten(
                      path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out));
    } else {
      out.put(path, n);
    }
  }

  private static String show(JsonNode n) {
    return n == null ? "(absent)" : n.toString();
  }

  private static String line(String field, String old, String now) {
    return field + ": " + old + " vs " + now;
  }
}

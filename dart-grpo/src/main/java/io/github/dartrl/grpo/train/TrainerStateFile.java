package io.github.dartrl.grpo.train;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.UntrustedJson;
import io.github.dartrl.grpo.data.DataCursor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checkpoint's {@code trainer_state.json}, written by {@link #toJson} and read back by {@link
 * #read}, which validates every field before anything uses it: a negative step, a wrong type, a
 * missing learner or an unknown {@code version} is a {@link ModelFormatException} naming the file
 * and field, so a damaged or foreign state never reaches the trainer (nor truncates its metrics).
 *
 * <p>Version 1 (the only one): {@code format}, {@code version}, {@code step} (≥ 1), the fault
 * counters, the data {@code cursor}, {@code learners} (per learner its {@code method}, {@code
 * optimizer_steps} and {@code policy_config}), the {@code prompt_template}, the {@code config} (the
 * {@link GrpoConfig} as a JSON object; checkpoints written before it was recorded as JSON hold its
 * {@code toString()} text, which is still read, without the compatibility checks that need it), the
 * base {@code model} when known, and the {@code files} manifest ({@link CheckpointManifest}). The
 * fields added after the first release ({@code policy_config}, {@code prompt_template}, {@code
 * model}, {@code config} as an object) are optional to readers and ignored by older ones, so the
 * version stayed 1.
 */
final class TrainerStateFile {
  static final String FORMAT = "dart4j-trainer-state";
  static final int VERSION = 1;
  private static final ObjectMapper JSON =
      UntrustedJson.newMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  /**
   * One learner as saved.
   *
   * @param method the policy's method name
   * @param optimizerSteps AdamW steps taken
   */
  record LearnerEntry(String method, int optimizerSteps) {}

  /**
   * A validated state file.
   *
   * @param file the {@code trainer_state.json}
   * @param state step, cursor and counters
   * @param learners learner name to what was saved of it, in file order
   * @param identity config, policies and model; null for a checkpoint that stored the config as
   *     text
   * @param root the whole document (for the manifest)
   */
  record Saved(
      Path file,
      TrainerCheckpoint.State state,
      Map<String, LearnerEntry> learners,
      RunIdentity identity,
      JsonNode root) {}

  private TrainerStateFile() {}

  /** The state document of a checkpoint, without its file manifest. */
  static ObjectNode toJson(
      TrainerCheckpoint.State state, Map<String, LearnerEntry> learners, RunIdentity identity) {
    ObjectNode n = JSON.createObjectNode();
    n.put("format", FORMAT);
    n.put("version", VERSION);
    n.put("step", state.step());
    n.put("skipped_updates", state.skippedUpdates());
    n.put("skipped_batches", state.skippedBatches());
    n.put("retriever_retries", state.retrieverRetries());
    n.set("cursor", JSON.valueToTree(state.cursor()));
    ObjectNode ls = n.putObject("learners");
    learners.forEach(
        (name, l) -> {
          ObjectNode o =
              ls.putObject(name)
                  .put("method", l.method())
                  .put("optimizer_steps", l.optimizerSteps());
          JsonNode policy = identity.policies().get(name);
          if (policy != null) {
            o.set("policy_config", policy);
          }
        });
    n.set("config", identity.config());
    n.set("prompt_template", identity.template());
    if (identity.model() != null) {
      n.set("model", RunIdentity.modelJson(identity.model()));
    }
    return n;
  }

  /**
   * Reads and validates a state file; changes nothing.
   *
   * @throws ModelFormatException naming the file and the first bad field
   */
  static Saved read(Path file) {
    JsonNode n;
    try {
      n = JSON.readTree(Files.readAllBytes(file));
    } catch (JsonProcessingException e) {
      throw ModelFormatException.malformedJson(file, e);
    } catch (IOException e) {
      throw new ModelFormatException(file, null, "cannot read trainer state: " + e.getMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new ModelFormatException(file, null, "expected a JSON object");
    }
    if (!FORMAT.equals(n.path("format").asText(null))) {
      throw new ModelFormatException(
          file, "format", "expected \"" + FORMAT + "\", found " + n.get("format"));
    }
    JsonNode version = n.get("version");
    if (version == null || !version.isIntegralNumber() || version.asLong() != VERSION) {
      throw new ModelFormatException(
          file,
          "version",
          "this dart4j reads trainer state version "
              + VERSION
              + ", found "
              + version
              + " (a checkpoint written by another dart4j version); resume it with the dart4j"
              + " that wrote it");
    }
    int step = integer(file, n, "step", 1);
    DataCursor.State cursor;
    JsonNode c = n.get("cursor");
    if (c == null || !c.isObject()) {
      throw new ModelFormatException(file, "cursor", "expected an object, found " + c);
    }
    for (String f : List.of("size", "seed", "epoch", "position")) {
      if (!c.path(f).isIntegralNumber()) {
        throw new ModelFormatException(
            file, "cursor." + f, "expected an integer, found " + c.get(f));
      }
    }
    try {
      cursor = JSON.treeToValue(c, DataCursor.State.class);
    } catch (IOException | IllegalArgumentException e) {
      throw new ModelFormatException(file, "cursor", "malformed data cursor: " + e.getMessage(), e);
    }
    TrainerCheckpoint.State state =
        new TrainerCheckpoint.State(
            step,
            cursor,
            integer(file, n, "skipped_updates", 0),
            integer(file, n, "skipped_batches", 0),
            longInteger(file, n, "retriever_retries"));
    JsonNode ls = n.get("learners");
    if (ls == null || !ls.isObject() || ls.isEmpty()) {
      throw new ModelFormatException(file, "learners", "expected a non-empty object, found " + ls);
    }
    Map<String, LearnerEntry> learners = new LinkedHashMap<>();
    Map<String, JsonNode> policies = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : ls.properties()) {
      String field = "learners." + e.getKey();
      JsonNode l = e.getValue();
      if (!l.isObject() || !l.path("method").isTextual()) {
        throw new ModelFormatException(file, field + ".method", "expected a method name");
      }
      learners.put(
          e.getKey(),
          new LearnerEntry(
              l.get("method").asText(), integer(file, l, "optimizer_steps", 0, field)));
      JsonNode p = l.get("policy_config");
      if (p != null) {
        if (!p.isObject()) {
          throw new ModelFormatException(file, field + ".policy_config", "expected an object");
        }
        policies.put(e.getKey(), p);
      }
    }
    JsonNode config = n.get("config");
    RunIdentity identity;
    if (config != null && config.isTextual()) {
      identity = null; // written before the config was stored as JSON
    } else if (config != null && config.isObject()) {
      JsonNode template = n.get("prompt_template");
      if (template != null && !template.isObject()) {
        throw new ModelFormatException(file, "prompt_template", "expected an object");
      }
      identity = new RunIdentity(config, policies, template, model(file, n.get("model")));
    } else {
      throw new ModelFormatException(file, "config", "expected an object, found " + config);
    }
    return new Saved(file, state, learners, identity, n);
  }

  private static ModelIdentity model(Path file, JsonNode m) {
    if (m == null) {
      return null;
    }
    if (!m.isObject()
        || !m.path("path").isTextual()
        || !m.path("config_sha256").isTextual()
        || !m.path("weight_files").isObject()) {
      throw new ModelFormatException(
          file, "model", "expected {\"path\", \"config_sha256\", \"weight_files\"}, found " + m);
    }
    Map<String, Long> sizes = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : m.get("weight_files").properties()) {
      if (!e.getValue().isIntegralNumber() || e.getValue().asLong() < 0) {
        throw new ModelFormatException(
            file, "model.weight_files." + e.getKey(), "expected a size in bytes");
      }
      sizes.put(e.getKey(), e.getValue().asLong());
    }
    return new ModelIdentity(m.get("path").asText(), m.get("config_sha256").asText(), sizes);
  }

  private static int integer(Path file, JsonNode n, String field, int min) {
    return integer(file, n, field, min, null);
  }

  private static int integer(Path file, JsonNode n, String field, int min, String parent) {
    JsonNode v = n.get(field);
    String name = parent == null ? field : parent + "." + field;
    if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min) {
      throw new ModelFormatException(file, name, "expected an integer >= " + min + ", found " + v);
    }
    return v.asInt();
  }

  private static long longInteger(Path file, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
      throw new ModelFormatException(file, field, "expected an integer >= 0, found " + v);
    }
    return v.asLong();
  }
}

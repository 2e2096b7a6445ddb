package io.github.dartrl.examples.real;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicDirectory;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.harness.Machine;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.quickstart.Evaluation;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.train.DistributedRollouts;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.TrainResult;
import io.github.dartrl.grpo.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GRPO on a real HF model with a real corpus and the Search-R1 datasets, as one readable sequence:
 * open the retriever (indexing a corpus on first use) → load the model (two copies for 2-Agent) →
 * attach the method's adapters → train with checkpoints ({@code out/grpo/}, resumable) → evaluate
 * greedy EM on the test set → save the adapters (PEFT, {@code out/adapters/}) or the trained models
 * (HF, {@code out/model/}, or {@code out/reasoner/} and {@code out/tool/}) → {@code
 * out/summary.json}. Each saved directory and the summary replace their previous version
 * atomically; what {@code out} may hold beforehand is {@link RunDirectory}'s to decide.
 */
public final class TrainReal {
  private static final Logger LOG = LoggerFactory.getLogger(TrainReal.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private TrainReal() {}

  /** What a run produced. */
  public record Result(int steps, EvalResult test, Path weights, Path runDir) {}

  /** Runs the recipe. */
  public static Result run(TrainRealConfig c) {
    return run(c, null);
  }

  /**
   * Runs the recipe with each step's rollouts and gradients on {@code distributed}'s workers (built
   * from the run's GRPO config; null trains in-process).
   */
  public static Result run(
      TrainRealConfig c, Function<GrpoConfig, DistributedRollouts> distributed) {
    try {
      return runChecked(c, distributed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Result runChecked(
      TrainRealConfig c, Function<GrpoConfig, DistributedRollouts> distributed) throws IOException {
    if (!Files.isRegularFile(c.model().resolve("config.json"))) {
      throw new IllegalArgumentException(
          "--model: " + c.model() + " is not an HF model directory (no config.json)");
    }
    Path runDir = c.out().resolve("grpo");
    RunDirectory out = RunDirectory.check(c.out(), c.resume());
    // inputs are read before anything is created: a bad file leaves the output as it was
    QaDataset train = QaFiles.read(c.train(), "--train");
    QaDataset test =
        c.test() == null ? null : QaFiles.read(c.test(), "--test").first(c.evalLimit());
    out.create();
    try {
      return train(c, runDir, train, test, distributed);
    } catch (IOException | RuntimeException | Error e) {
      out.afterFailure();
      throw e;
    }
  }

  private static Result train(
      TrainRealConfig c,
      Path runDir,
      QaDataset train,
      QaDataset test,
      Function<GrpoConfig, DistributedRollouts> distributed)
      throws IOException {
    GrpoConfig g = c.methodGrpo();
    LOG.info(
        "train-real: {} on {} ({} training questions{}), {} steps of {} prompts x G={}, lr {}",
        c.method(),
        c.model(),
        train.size(),
        test == null ? "" : ", " + test.size() + " test",
        g.totalSteps(),
        g.promptsPerStep(),
        g.groupSize(),
        g.learningRate());
    Phases phases = new Phases(test == null ? 3 : 4, 0);
    phases.start("retriever and model");
    try (Retriever retriever = c.retriever().open(c.out().resolve("index"));
        NDManager root = JobDevice.newRoot();
        DecoderModel model = c.memory().load(c.model(), root);
        DecoderModel second =
            c.method().needsToolAgent() ? c.memory().load(c.model(), root) : null;
        TextTokenizer tok = TextTokenizer.load(c.model());
        Policy policy =
            c.initAdapters() == null
                ? Policy.create(model, c.method().policy(c.dart()), tok)
                : PolicyCheckpoint.loadPeft(
                    model, c.initAdapters(), c.method().policy(c.dart()), tok);
        Policy tool =
            second == null ? null : Policy.create(second, c.method().policy(c.dart()), tok)) {
      long params = count(policy) + (tool == null ? 0 : count(tool));
      phases.done(String.format(Locale.ROOT, "%,d trainable parameters", params));
      Trainer.Builder b =
          Trainer.builder()
              .policy(policy)
              .tokenizer(tok)
              .retriever(retriever)
              .promptTemplate(c.template())
              .reward(RewardFunctions.named(c.reward()))
              .trainData(train)
              .config(g)
              .runDir(runDir)
              .baseModel(c.model())
              .resume(c.resume());
      if (tool != null) {
        b.toolAgent(tool);
      }
      if (distributed != null) {
        b.distributed(distributed.apply(g));
      }
      try (Trainer trainer = b.build()) {
        // resuming a checkpoint of the last step trains nothing: the rest (evaluation, the final
        // save, the summary) is redone, which repairs a run killed while saving its result
        phases.start("GRPO");
        TrainResult r = trainer.fit();
        phases.done(r.steps() + " steps");
        EvalResult eval = null;
        if (test != null) {
          phases.start("evaluation on the test set");
          eval = Evaluation.run(trainer, test, "test");
          phases.done(String.format(Locale.ROOT, "EM %.3f", eval.exactMatch()));
        }
        phases.start("save");
        Path weights = save(c, policy, tool, model, second);
        phases.done(c.out().relativize(weights).toString());
        writeSummary(c, g, r.steps(), params, eval, weights, phases);
        return new Result(r.steps(), eval, weights, runDir);
      }
    }
  }

  private static Path save(
      TrainRealConfig c, Policy policy, Policy tool, DecoderModel model, DecoderModel second)
      throws IOException {
    String base = c.model().toAbsolutePath().toString();
    switch (c.method()) {
      case DART, LORA -> {
        Path to = c.out().resolve("adapters");
        PolicyCheckpoint.save(policy, to, base);
        return to;
      }
      case FULL -> {
        Path to = c.out().resolve("model");
        saveModel(model, to, c.model());
        return to;
      }
      case TWO_AGENT -> {
        saveModel(model, c.out().resolve("reasoner"), c.model());
        saveModel(second, c.out().resolve("tool"), c.model());
        return c.out();
      }
      default -> throw new IllegalStateException(c.method().name());
    }
  }

  /**
   * Saves a trained model as an HF directory with the base model's tokenizer and other files,
   * replacing {@code to} atomically (written into a hidden sibling, fsynced, renamed): a crash
   * leaves the previous directory or the complete new one.
   */
  private static void saveModel(DecoderModel m, Path to, Path baseDir) {
    AtomicDirectory.replace(
        to,
        staging -> {
          HfCheckpoint.save(m, staging, SafetensorsDType.F32);
          try (Stream<Path> files = Files.list(baseDir)) {
            for (Path f : files.toList()) {
              String name = f.getFileName().toString();
              boolean weights =
                  name.endsWith(".safetensors")
                      || name.endsWith(".bin")
                      || name.endsWith(".index.json");
              if (Files.isRegularFile(f) && !weights && !Files.exists(staging.resolve(name))) {
                Files.copy(f, staging.resolve(name));
              }
            }
          }
        });
  }

  private static void writeSummary(
      TrainRealConfig c,
      GrpoConfig g,
      int steps,
      long params,
      EvalResult eval,
      Path weights,
      Phases phases)
      throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("model", c.model().toAbsolutePath().toString());
    n.put("method", c.method().name());
    n.put("steps", steps);
    n.put("prompts_per_step", g.promptsPerStep());
    n.put("group_size", g.groupSize());
    n.put("learning_rate", g.learningRate());
    n.put("trainable_parameters", params);
    n.put("retriever", c.retriever().kind() + " " + c.retriever().location());
    n.put("weights", c.out().toAbsolutePath().relativize(weights.toAbsolutePath()).toString());
    if (eval != null) {
      n.put("test_em", eval.exactMatch());
      n.set("test_em_by_source", JSON.valueToTree(eval.exactMatchBySource()));
      n.set("test_count_by_source", JSON.valueToTree(eval.countBySource()));
      n.put("test_search_rate", eval.searchRate());
    }
    n.set("seconds", JSON.valueToTree(phases.timings()));
    n.set("environment", JSON.valueToTree(Machine.describe()));
    byte[] bytes = JSON.writeValueAsBytes(n);
    AtomicFiles.write(c.out().resolve("summary.json"), out -> out.write(bytes));
  }

  private static long count(Policy p) {
    return p.trainableParameters().values().stream().mapToLong(NDArray::size).sum();
  }
}

package io.github.dartrl.grpo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.train.TinyRun.ScriptedRetriever;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What resume checks before it changes anything: the state file's fields and version, that the
 * checkpoint was made with the same config, policies and model, that its step fits the step limit;
 * and that a new run does not take over a directory holding an earlier one.
 */
class ResumeChecksTest extends TinyRunBase {
  static final ObjectMapper JSON = new ObjectMapper();

  static GrpoConfig config(int steps) {
    return TinyRun.config().totalSteps(steps).build();
  }

  /** Trains from scratch (or resumes) and returns the result. */
  static TrainResult train(Path run, GrpoConfig cfg, boolean resume, Path baseModel) {
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(p, tok, cfg, run, new ScriptedRetriever())
                .resume(resume)
                .baseModel(baseModel)
                .build()) {
      return t.fit();
    }
  }

  static void editState(Path checkpoint, Consumer<ObjectNode> edit) throws Exception {
    Path f = checkpoint.resolve(TrainerCheckpoint.STATE_FILE);
    ObjectNode n = (ObjectNode) JSON.readTree(f.toFile());
    edit.accept(n);
    JSON.writerWithDefaultPrettyPrinter().writeValue(f.toFile(), n);
  }

  @Test
  void aBadStepIsRefusedBeforeTheMetricsAreTouched(@TempDir Path run) throws Exception {
    train(run, config(2), false, modelDir);
    Path metrics = run.resolve(MetricsLog.FILE_NAME);
    byte[] before = Files.readAllBytes(metrics);
    editState(TrainerCheckpoint.dirFor(run, 2), n -> n.put("step", -5));
    assertThatThrownBy(() -> train(run, config(3), true, modelDir))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(TrainerCheckpoint.STATE_FILE + " [step]")
        .hasMessageContaining("expected an integer >= 1, found -5");
    assertThat(Files.readAllBytes(metrics)).isEqualTo(before);
    assertThat(MetricsLog.read(metrics)).hasSize(2);
  }

  @Test
  void malformedFieldsAreRefusedNamingTheField(@TempDir Path run) throws Exception {
    train(run, config(1), false, modelDir);
    Path ckpt = TrainerCheckpoint.dirFor(run, 1);
    editState(ckpt, n -> n.put("step", 2));
    assertThatThrownBy(() -> TrainerCheckpoint.verify(ckpt))
        .hasMessageContaining("[step]")
        .hasMessageContaining("its directory is step-000001");
    editState(ckpt, n -> n.put("step", 1).put("skipped_updates", "0"));
    assertThatThrownBy(() -> TrainerCheckpoint.verify(ckpt))
        .hasMessageContaining("[skipped_updates]: expected an integer >= 0, found \"0\"");
    editState(
        ckpt, n -> n.put("skipped_updates", 0).with("learners").with("policy").remove("method"));
    assertThatThrownBy(() -> TrainerCheckpoint.verify(ckpt))
        .hasMessageContaining("[learners.policy.method]");
  }

  @Test
  void anUnknownVersionIsRefusedNamingIt(@TempDir Path run) throws Exception {
    train(run, config(1), false, modelDir);
    editState(TrainerCheckpoint.dirFor(run, 1), n -> n.put("version", 2));
    byte[] metrics = Files.readAllBytes(run.resolve(MetricsLog.FILE_NAME));
    assertThatThrownBy(() -> train(run, config(2), true, modelDir))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("[version]")
        .hasMessageContaining("reads trainer state version 1, found 2");
    assertThat(Files.readAllBytes(run.resolve(MetricsLog.FILE_NAME))).isEqualTo(metrics);
  }

  @Test
  void theConfigAndModelAreStoredAsComparableJson(@TempDir Path run) throws Exception {
    train(run, config(1), false, modelDir);
    JsonNode n =
        JSON.readTree(
            TrainerCheckpoint.dirFor(run, 1).resolve(TrainerCheckpoint.STATE_FILE).toFile());
    assertThat(n.get("config").get("groupSize").asInt()).isEqualTo(8);
    assertThat(n.get("config").get("learningRate").asDouble()).isEqualTo(2e-2);
    assertThat(n.get("config").get("rollout").get("maxTurns").asInt()).isEqualTo(2);
    assertThat(n.get("learners").get("policy").get("policy_config").get("rank").asInt())
        .isEqualTo(8);
    assertThat(n.get("prompt_template").get("template").asText())
        .isEqualTo("question : {question}");
    assertThat(n.get("model").get("path").asText())
        .isEqualTo(modelDir.toAbsolutePath().normalize().toString());
    assertThat(n.get("model").get("config_sha256").asText()).hasSize(64);
    assertThat(n.get("model").get("weight_files").size()).isPositive();
  }

  /**
   * The optimisation settings are an {@code OptimConfig} record inside GrpoConfig, but checkpoints
   * store the config flat under the names they always had: a checkpoint written before the change
   * and one written after compare field by field, and mismatches read {@code config.learningRate}.
   */
  @Test
  void theStoredConfigKeepsItsFlatFieldNames() {
    com.fasterxml.jackson.databind.node.ObjectNode n = RunIdentity.configJson(config(3));
    java.util.List<String> names = new java.util.ArrayList<>();
    n.fieldNames().forEachRemaining(names::add);
    assertThat(names)
        .containsExactlyInAnyOrder(
            "totalSteps",
            "promptsPerStep",
            "groupSize",
            "learningRate",
            "warmupRatio",
            "cosineSchedule",
            "optimizer",
            "maxGradNorm",
            "ppoEpochs",
            "miniBatches",
            "microBatchSize",
            "loss",
            "scaleAdvantagesByStd",
            "trainRoles",
            "recomputeOldLogProbs",
            "logEntropy",
            "rollout",
            "checkpointEvery",
            "keepCheckpoints",
            "evalEvery",
            "evalBatchSize",
            "seed");
    assertThat(n.get("learningRate").asDouble()).isEqualTo(2e-2);
    assertThat(n.get("optimizer").get("beta1").asDouble()).isEqualTo(0.9);
  }

  @Test
  void resumeWithOtherSettingsIsRefusedListingEachField(@TempDir Path run) throws Exception {
    train(run, config(1), false, modelDir);
    byte[] metrics = Files.readAllBytes(run.resolve(MetricsLog.FILE_NAME));
    GrpoConfig other =
        TinyRun.config().totalSteps(2).groupSize(4).learningRate(1e-2).seed(8).build();
    assertThatThrownBy(() -> train(run, other, true, modelDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("3 differ, checkpoint vs now")
        .hasMessageContaining("config.groupSize: 8 vs 4")
        .hasMessageContaining("config.learningRate: 0.02 vs 0.01")
        .hasMessageContaining("config.seed: 7 vs 8")
        .hasMessageNotContaining("totalSteps"); // more steps may be asked for
    assertThat(Files.readAllBytes(run.resolve(MetricsLog.FILE_NAME))).isEqualTo(metrics);
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            TinyRun.trainer(p, tok, config(2), run, new ScriptedRetriever())
                .promptTemplate(new PromptTemplate("q : {question}", true))
                .resume(true)
                .baseModel(modelDir)
                .build()) {
      assertThatThrownBy(t::fit)
          .hasMessageContaining("1 differ")
          .hasMessageContaining(
              "prompt_template.template: \"question : {question}\" vs \"q : {question}\"");
    }
    // only the number of steps changed: continues
    assertThat(train(run, config(2), true, modelDir).history()).hasSize(2);
  }

  @Test
  void resumeOnAnotherModelIsRefusedAndAMovedModelIsAccepted(@TempDir Path run, @TempDir Path tmp)
      throws Exception {
    train(run, config(1), false, modelDir);
    Path moved = copy(modelDir, tmp.resolve("moved"));
    Path other = copy(modelDir, tmp.resolve("other"));
    Path cfg = other.resolve("config.json");
    Files.writeString(cfg, Files.readString(cfg).replaceFirst("\\{", "{\"note\": 1, "));
    assertThatThrownBy(() -> train(run, config(2), true, other))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("model: " + modelDir.toAbsolutePath().normalize())
        .hasMessageContaining(" vs " + other.toAbsolutePath().normalize());
    assertThat(train(run, config(2), true, moved).steps()).isEqualTo(2);
  }

  @Test
  void resumeAtTheLastStepTrainsNothingAndFewerStepsAreRefused(@TempDir Path run) throws Exception {
    TrainResult done = train(run, config(2), false, modelDir);
    Path last = TrainerCheckpoint.dirFor(run, 2);
    java.util.Map<String, byte[]> files = TinyRun.files(last);
    TrainResult again = train(run, config(2), true, modelDir);
    assertThat(again.steps()).isEqualTo(2);
    assertThat(again.lastCheckpoint()).isEqualTo(last);
    assertThat(again.history()).isEqualTo(done.history()); // Double.equals: NaN == NaN
    assertThat(TinyRun.files(last)).containsExactlyEntriesOf(files);
    assertThatThrownBy(() -> train(run, config(1), true, modelDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is at step 2, past the 1 steps asked for")
        .hasMessageContaining("ask for more than 2 to train further");
  }

  @Test
  void aNewRunDoesNotTakeOverAnEarlierOne(@TempDir Path run) throws Exception {
    train(run, config(1), false, modelDir);
    byte[] metrics = Files.readAllBytes(run.resolve(MetricsLog.FILE_NAME));
    assertThatThrownBy(() -> train(run, config(1), false, modelDir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already holds a run (checkpoint step-000001)");
    assertThat(Files.readAllBytes(run.resolve(MetricsLog.FILE_NAME))).isEqualTo(metrics);
    // an earlier run that died before its first checkpoint: its metrics are not emptied either
    io.github.dartrl.core.io.AtomicDirectory.delete(run.resolve("checkpoints"));
    assertThatThrownBy(() -> train(run, config(1), false, modelDir))
        .hasMessageContaining("stopped before its first checkpoint")
        .hasMessageContaining("delete " + run.resolve(MetricsLog.FILE_NAME));
    assertThat(Files.readAllBytes(run.resolve(MetricsLog.FILE_NAME))).isEqualTo(metrics);
  }

  @Test
  void aCheckpointWithTheConfigAsTextIsStillResumed(@TempDir Path run) throws Exception {
    train(run, config(1), false, modelDir);
    editState(
        TrainerCheckpoint.dirFor(run, 1),
        n -> {
          n.put("config", config(1).toString()); // as checkpoints stored it before
          n.remove("model");
          n.remove("prompt_template");
          ((ObjectNode) n.get("learners").get("policy")).remove("policy_config");
        });
    assertThat(train(run, config(2), true, modelDir).history()).hasSize(2);
  }

  static Path copy(Path from, Path to) throws Exception {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path f : s.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }
}

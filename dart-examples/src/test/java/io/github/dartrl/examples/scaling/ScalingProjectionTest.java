package io.github.dartrl.examples.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dartrl.core.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The projection on a case small enough to compute by hand, and the committed log's parse. */
class ScalingProjectionTest {
  @TempDir Path dir;

  private static final String LOG =
      String.join(
          "\n",
          "16:05:31 INFO SparkRollouts - step 1: rollout 9.0 s (a log line, skipped)",
          "3 steps of 4 prompts x G=2 on the bundled world",
          "step 1: local 1.000 s, distributed 9.000 s (ratio 9.00); step 1: rollout 7.000 s,"
              + " gradient 1.000 s, broadcast 2 x 1,000 B (fetch <= 0.500 s), trajectories 10 B"
              + " in / 9 B out, gradients 2,000 B, model loads {0@1=1.5, 1@2=2.5}",
          "step 2: local 1.000 s, distributed 2.000 s (ratio 2.00); step 2: rollout 1.200 s,"
              + " gradient 0.600 s, broadcast 2 x 1,000 B (fetch <= 0.010 s), trajectories 10 B"
              + " in / 9 B out, gradients 2,000 B, model loads {}",
          "step 3: local 1.000 s, distributed 1.500 s (ratio 1.50); step 3: rollout 0.300 s,"
              + " gradient 0.900 s, broadcast 2 x 1,000 B (fetch <= 0.030 s), trajectories 10 B"
              + " in / 9 B out, gradients 2,000 B, model loads {}",
          "EQUIVALENT");

  private ScalingProjection projection() throws IOException {
    Path log = dir.resolve("spark-cluster.log");
    Files.writeString(log, LOG);
    Path model = Files.createDirectories(dir.resolve("model"));
    // d 8, 2 layers, 2 heads of 4, 1 KV head, MLP 16, vocabulary 10
    ModelConfig.qwen2(10, 8, 2, 2, 1, 16, 64).write(model);
    Path inputs = dir.resolve("inputs.json");
    Files.writeString(
        inputs,
        """
        {"warm_up_steps": 1,
         "real_shaped_steps": [{"name": "same shape", "trajectories": 2,
           "tokens_per_trajectory": 5, "seconds": 130.4,
           "shape": {"vocab": 10, "hidden": 8, "layers": 2, "heads": 2, "kv_heads": 1,
                     "intermediate": 16}}],
         "target": {"name": "tiny", "config": "model/config.json", "adapter_rank": 2,
           "adapters": 1, "prompts": 4, "group_size": 2, "tokens_per_trajectory": 10,
           "updates_per_step": 1, "trajectory_bytes_per_token": 10},
         "executors": [1, 4]}
        """);
    return new ScalingProjection(MeasuredCosts.read(log), ProjectionInputs.read(inputs));
  }

  @Test
  void projectsTheHandComputedCase() throws IOException {
    ScalingProjection p = projection();
    // parameters: attention 8·8 + 2·8·4 + 8·8 + biases 8 + 2·4 = 208, MLP 3·8·16 = 384, norms 16:
    // 608 per layer; 2 layers + final norm 8 + tied embedding 10·8 = 1,304
    // compute: 130.4 s / (1,304 × 2 × 5) = 0.01 s per parameter-token;
    // target 0.01 × 1,304 × (4 × 2) × 10 = 1,043.2 s, rollout share 1.5 / 3 = 0.5
    // adapter floats: 2 · (16 + 2·12 + 16 + 2·24 + 24) = 256 per layer × 2 layers = 512 = 2,048 B
    // driver: mean(2.0 − 1.8, 1.5 − 1.2) = 0.25 s at 250 floats → 0.25 × 512 / 250 = 0.512 s
    // rate: 2,000 B / 0.04 s = 50,000 B/s
    assertEquals(0.01, p.secondsPerParameterToken(), 1e-12);
    assertEquals(1043.2, p.computeSeconds(), 1e-9);
    assertEquals(0.5, p.rolloutShare(), 1e-12);
    assertEquals(2048, p.adapterBytes());
    assertEquals(50_000, p.bytesPerSecond(), 1e-6);

    ScalingProjection.Row one = p.row(1);
    assertEquals(521.6, one.rolloutSeconds(), 1e-9);
    assertEquals(521.6, one.gradientSeconds(), 1e-9);
    assertEquals(0.512, one.driverSeconds(), 1e-12);
    assertEquals(2 * 2048 / 50_000.0, one.broadcastSeconds(), 1e-12); // 2 broadcasts, 1 round
    assertEquals(2048 / 50_000.0, one.gradientShippingSeconds(), 1e-12);
    assertEquals(2 * 8 * 10 * 10 / 50_000.0, one.trajectoryShippingSeconds(), 1e-12);

    ScalingProjection.Row four = p.row(4);
    assertEquals(130.4, four.rolloutSeconds(), 1e-9);
    assertEquals(130.4, four.gradientSeconds(), 1e-9);
    assertEquals(0.512, four.driverSeconds(), 1e-12);
    assertEquals(2 * 2 * 2048 / 50_000.0, four.broadcastSeconds(), 1e-12); // ⌈log₂ 4⌉ = 2 rounds
    assertEquals(4 * 2048 / 50_000.0, four.gradientShippingSeconds(), 1e-12);
    assertEquals(130.4 + 130.4 + 0.512 + 0.16384 + 0.16384 + 0.032, four.stepSeconds(), 1e-9);

    String report = p.report();
    assertTrue(report.contains("| 4 | 130 | 130 | 0.5 | 0.2 | 0.2 | 0.0 | 262 | 3.99 |"), report);
    assertTrue(report.contains("Assumptions:"), report);
  }

  @Test
  void parsesTheLogAndRoundTripsJsonl() throws IOException {
    Path log = dir.resolve("spark-cluster.log");
    Files.writeString(log, LOG);
    MeasuredRun run = MeasuredCosts.read(log);
    assertEquals(4, run.prompts());
    assertEquals(2, run.groupSize());
    assertEquals(2, run.partitions()); // 2,000 gradient bytes / 1,000 per share / 1 update
    assertEquals(3, run.steps().size());
    assertEquals(2.5, run.steps().get(0).modelLoadSeconds());
    assertEquals(0.0, run.steps().get(1).modelLoadSeconds());
    Path jsonl = dir.resolve("costs.jsonl");
    MeasuredCosts.writeJsonl(run, jsonl);
    assertEquals(run, MeasuredCosts.read(jsonl));
  }

  /**
   * costs.jsonl's exact bytes: its key names and order are what SparkCheck wrote for the committed
   * measurements and what {@link MeasuredCosts#readJsonl} and the docs expect.
   */
  @Test
  void writesCostsJsonlWithItsKeysInOrder() throws IOException {
    MeasuredRun run =
        new MeasuredRun(
            8,
            5,
            2,
            java.util.List.of(
                new MeasuredStep(
                    1, 2.641, 8.581, 7.34, 1.193, 2, 622_592, 0.058, 199_709, 199_549, 1_245_184,
                    0.0),
                new MeasuredStep(2, 1.5, 3.0, 2.25, 0.5, 1, 10, 0.125, 7, 8, 9, 1.25)));
    Path jsonl = dir.resolve("golden.jsonl");
    MeasuredCosts.writeJsonl(run, jsonl);
    assertEquals(
        "{\"step\":1,\"prompts\":8,\"group_size\":5,\"partitions\":2,\"local_s\":2.641,"
            + "\"distributed_s\":8.581,\"rollout_s\":7.34,\"gradient_s\":1.193,\"broadcasts\":2,"
            + "\"broadcast_bytes\":622592,\"broadcast_fetch_s\":0.058,"
            + "\"trajectory_bytes_in\":199709,\"trajectory_bytes_out\":199549,"
            + "\"gradient_bytes\":1245184,\"backbone_load_s\":0.0}\n"
            + "{\"step\":2,\"prompts\":8,\"group_size\":5,\"partitions\":2,\"local_s\":1.5,"
            + "\"distributed_s\":3.0,\"rollout_s\":2.25,\"gradient_s\":0.5,\"broadcasts\":1,"
            + "\"broadcast_bytes\":10,\"broadcast_fetch_s\":0.125,\"trajectory_bytes_in\":7,"
            + "\"trajectory_bytes_out\":8,\"gradient_bytes\":9,\"backbone_load_s\":1.25}\n",
        Files.readString(jsonl));
    assertEquals(run, MeasuredCosts.read(jsonl));
  }

  /** A costs.jsonl line without one of a step's numbers is named with its file, line and key. */
  @Test
  void aMissingStepKeyIsNamed() throws IOException {
    Path jsonl = dir.resolve("costs.jsonl");
    Files.writeString(
        jsonl,
        "{\"step\":1,\"prompts\":8,\"group_size\":5,\"partitions\":2,\"local_s\":2.641,"
            + "\"distributed_s\":8.581,\"rollout_s\":7.34,\"gradient_s\":1.193,\"broadcasts\":2,"
            + "\"broadcast_bytes\":622592,\"broadcast_fetch_s\":0.058,"
            + "\"trajectory_bytes_in\":199709,\"trajectory_bytes_out\":\"many\","
            + "\"backbone_load_s\":0.0}\n");
    IOException e = assertThrows(IOException.class, () -> MeasuredCosts.read(jsonl));
    assertEquals(jsonl + ":1: field trajectory_bytes_out missing or not a number", e.getMessage());
  }

  @Test
  void parsesTheCommittedSparkCostsLog() throws IOException {
    Path log = Path.of("..", "docs", "results", "spark-costs-2026-12-07", "spark-cluster.log");
    MeasuredRun run = MeasuredCosts.read(log);
    assertEquals(8, run.prompts());
    assertEquals(5, run.groupSize());
    assertEquals(2, run.partitions());
    assertEquals(5, run.steps().size());
    MeasuredStep first = run.steps().get(0);
    assertEquals(
        new MeasuredStep(
            1,
            2.641,
            8.581,
            7.340,
            1.193,
            2,
            622_592,
            0.058,
            199_709,
            199_549,
            1_245_184,
            1.147976134),
        first);
    assertEquals(0.839, run.steps().get(4).gradientSeconds());
    assertEquals(0.0, run.steps().get(4).modelLoadSeconds());
  }

  @Test
  void refusesTextThatIsNotTheScriptsOutput() throws IOException {
    Path log = dir.resolve("other.log");
    Files.writeString(log, "nothing here\n");
    IOException e = assertThrows(IOException.class, () -> MeasuredCosts.read(log));
    assertTrue(e.getMessage().contains("expected spark-cluster.sh output"), e.getMessage());
  }
}

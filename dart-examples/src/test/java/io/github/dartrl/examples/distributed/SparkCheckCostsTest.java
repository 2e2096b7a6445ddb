package io.github.dartrl.examples.distributed;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.examples.scaling.MeasuredCosts;
import io.github.dartrl.examples.scaling.MeasuredRun;
import io.github.dartrl.examples.scaling.MeasuredStep;
import io.github.dartrl.grpo.distributed.StepCosts;
import io.github.dartrl.grpo.metrics.StepMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SparkCheck's costs.jsonl: each step's measured costs as scaling-projection reads them. */
class SparkCheckCostsTest {
  @Test
  void writesEveryStepsCostsMachineReadably(@TempDir Path dir) throws Exception {
    SparkCheck.Run local =
        new SparkCheck.Run(
            List.of(
                new StepMetrics(1, Map.of("perf/step_time_s", 2.5)),
                new StepMetrics(2, Map.of("perf/step_time_s", 2.0))),
            new float[0]);
    SparkCheck.Run dist =
        new SparkCheck.Run(
            List.of(
                new StepMetrics(1, Map.of("perf/step_time_s", 9.0)),
                new StepMetrics(2, Map.of("perf/step_time_s", 2.25))),
            new float[0]);
    List<StepCosts> costs =
        List.of(
            new StepCosts(
                1, 7.0, 1.0, 2, 2_000, 0.05, 300, 290, 2_000, Map.of("0@1", 1.5, "1@2", 0.75)),
            new StepCosts(2, 1.5, 0.5, 2, 2_000, 0.04, 310, 300, 2_000, Map.of()));
    Path file = dir.resolve("costs.jsonl");
    SparkCheck.writeCosts(file, new CheckSettings(2, 4, 2, 8, 1), 2, local, dist, costs);

    MeasuredRun run = MeasuredCosts.read(file);
    assertThat(run.prompts()).isEqualTo(4);
    assertThat(run.groupSize()).isEqualTo(2);
    assertThat(run.partitions()).isEqualTo(2);
    assertThat(run.steps())
        .containsExactly(
            new MeasuredStep(1, 2.5, 9.0, 7.0, 1.0, 2, 1_000, 0.05, 300, 290, 2_000, 1.5),
            new MeasuredStep(2, 2.0, 2.25, 1.5, 0.5, 2, 1_000, 0.04, 310, 300, 2_000, 0.0));
  }
}

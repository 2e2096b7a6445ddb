package io.github.dartrl.grpo.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The step metrics' values and the order metrics.jsonl and the CSV columns keep. */
class StepMetricsBuilderTest {

  private static Trajectory trajectory(int promptLength, int length, int searches, boolean cut) {
    long[] tokens = new long[length];
    int[] roles = new int[length];
    roles[length - 1] = io.github.dartrl.core.routing.TokenRole.OBSERVATION.code();
    List<String> queries = java.util.Collections.nCopies(searches, "q");
    List<List<Passage>> passages = java.util.Collections.nCopies(searches, List.of());
    return new Trajectory(
        0,
        0,
        tokens,
        roles,
        new float[length],
        promptLength,
        "",
        searches + 1,
        queries,
        passages,
        searches + 1,
        1,
        cut ? Trajectory.End.LENGTH : Trajectory.End.ANSWER,
        cut);
  }

  @Test
  void aTrainedStepInItsOrder() {
    Map<String, Double> update = new LinkedHashMap<>();
    update.put("pg_loss", 0.5);
    update.put("kl", 0.01);
    StepMetrics m =
        new StepMetricsBuilder(3)
            .rewards(new double[] {1, 0, 1, 0}, 2, 0.5)
            .learner("actor/", update)
            .learner("tool_actor/", update)
            .rollouts(List.of(trajectory(2, 10, 1, false), trajectory(2, 6, 0, true)))
            .timing(2.0, 1.5)
            .faults(false, 1, 4, 2)
            .build();
    assertThat(m.step()).isEqualTo(3);
    assertThat(m.values().keySet())
        .containsExactly(
            "reward/mean",
            "reward/std",
            "em/mean",
            "frac_reward_zero_std",
            "actor/pg_loss",
            "actor/kl",
            "tool_actor/pg_loss",
            "tool_actor/kl",
            "response_length/mean",
            "observation_length/mean",
            "env/turns_mean",
            "env/valid_action_ratio",
            "env/search_ratio",
            "env/searches_mean",
            "env/truncated_ratio",
            "perf/step_time_s",
            "perf/rollout_time_s",
            "perf/tokens_per_s",
            "faults/batch_skipped",
            "faults/skipped_batches",
            "faults/retriever_retries",
            "faults/nonfinite_skipped_updates");
    assertThat(m.value("reward/mean")).isEqualTo(0.5);
    assertThat(m.value("reward/std")).isEqualTo(0.5);
    assertThat(m.value("em/mean")).isEqualTo(0.5);
    assertThat(m.value("response_length/mean")).isEqualTo(6.0); // (8 + 4) / 2
    assertThat(m.value("observation_length/mean")).isEqualTo(1.0);
    assertThat(m.value("env/valid_action_ratio")).isEqualTo(3 / 5.0); // (2 + 1) / (3 + 2)
    assertThat(m.value("env/search_ratio")).isEqualTo(0.5);
    assertThat(m.value("env/truncated_ratio")).isEqualTo(0.5);
    assertThat(m.value("perf/tokens_per_s")).isEqualTo(8.0); // 16 tokens in 2 s
    assertThat(m.value("faults/retriever_retries")).isEqualTo(4.0);
    assertThat(m.value("faults/nonfinite_skipped_updates")).isEqualTo(2.0);
  }

  @Test
  void aSkippedBatchHasOnlyFaultsAndItsTime() {
    StepMetrics m =
        new StepMetricsBuilder(5).faults(true, 1, 2, 0).put("perf/step_time_s", 0.25).build();
    assertThat(m.values())
        .containsExactly(
            Map.entry("faults/batch_skipped", 1.0),
            Map.entry("faults/skipped_batches", 1.0),
            Map.entry("faults/retriever_retries", 2.0),
            Map.entry("faults/nonfinite_skipped_updates", 0.0),
            Map.entry("perf/step_time_s", 0.25));
  }
}

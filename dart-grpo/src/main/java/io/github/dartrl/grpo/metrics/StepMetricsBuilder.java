package io.github.dartrl.grpo.metrics;

import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link StepMetrics} of one GRPO step, in the order {@code metrics.jsonl} and the CSV
 * columns keep: rewards ({@code reward/*}, {@code em/mean}, {@code frac_reward_zero_std}), each
 * learner's update ({@code actor/*}, then {@code <name>_actor/*}), the rollouts ({@code
 * response_length/mean}, {@code env/*}), timing ({@code perf/*}) and fault counters ({@code
 * faults/*}). Each part is optional: a step whose batch was skipped has only faults and its time.
 */
public final class StepMetricsBuilder {
  private final int step;
  private final Map<String, Double> values = new LinkedHashMap<>();
  private long tokens;

  /** Metrics of step {@code step} (the step number after it completed). */
  public StepMetricsBuilder(int step) {
    this.step = step;
  }

  /**
   * Mean and (population) standard deviation of the rewards, the exact-match rate and the fraction
   * of groups whose rewards were all equal (no learning signal).
   */
  public StepMetricsBuilder rewards(double[] rewards, int exactMatches, double zeroStdFraction) {
    double n = rewards.length;
    double mean = 0;
    for (double r : rewards) {
      mean += r;
    }
    mean /= n;
    double var = 0;
    for (double r : rewards) {
      var += (r - mean) * (r - mean);
    }
    values.put("reward/mean", mean);
    values.put("reward/std", Math.sqrt(var / n));
    values.put("em/mean", exactMatches / n);
    values.put("frac_reward_zero_std", zeroStdFraction);
    return this;
  }

  /**
   * One learner's update diagnostics, each name prefixed by {@code prefix} (e.g. {@code actor/}).
   */
  public StepMetricsBuilder learner(String prefix, Map<String, Double> update) {
    update.forEach((k, v) -> values.put(prefix + k, v));
    return this;
  }

  /** Lengths and environment rates of the step's trajectories. */
  public StepMetricsBuilder rollouts(List<Trajectory> ts) {
    double n = ts.size();
    double resp = 0;
    double obs = 0;
    double turns = 0;
    double valid = 0;
    double actions = 0;
    double searched = 0;
    double searches = 0;
    double truncated = 0;
    for (Trajectory t : ts) {
      tokens += t.tokens().length;
      resp += t.responseLength();
      obs += t.observationTokens();
      turns += t.turns();
      valid += t.validActions();
      actions += t.validActions() + t.invalidActions();
      searched += t.queries().isEmpty() ? 0 : 1;
      searches += t.queries().size();
      truncated += t.truncated() ? 1 : 0;
    }
    values.put("response_length/mean", resp / n);
    values.put("observation_length/mean", obs / n);
    values.put("env/turns_mean", turns / n);
    values.put("env/valid_action_ratio", actions == 0 ? 0 : valid / actions);
    values.put("env/search_ratio", searched / n);
    values.put("env/searches_mean", searches / n);
    values.put("env/truncated_ratio", truncated / n);
    return this;
  }

  /** Step and rollout wall time, and the tokens per second of the {@link #rollouts} given. */
  public StepMetricsBuilder timing(double stepSeconds, double rolloutSeconds) {
    values.put("perf/step_time_s", stepSeconds);
    values.put("perf/rollout_time_s", rolloutSeconds);
    values.put("perf/tokens_per_s", tokens / stepSeconds);
    return this;
  }

  /**
   * Fault counters: whether this step's batch was lost, and the run's cumulative skipped batches,
   * retriever retries and skipped non-finite updates.
   */
  public StepMetricsBuilder faults(
      boolean batchSkipped, int skippedBatches, long retrieverRetries, int nonFiniteSkipped) {
    values.put("faults/batch_skipped", batchSkipped ? 1.0 : 0.0);
    values.put("faults/skipped_batches", (double) skippedBatches);
    values.put("faults/retriever_retries", (double) retrieverRetries);
    values.put("faults/nonfinite_skipped_updates", (double) nonFiniteSkipped);
    return this;
  }

  /** Any other metric, after those added so far. */
  public StepMetricsBuilder put(String name, double value) {
    values.put(name, value);
    return this;
  }

  public StepMetrics build() {
    return new StepMetrics(step, values);
  }
}

package io.github.dartrl.examples.compare;

import java.util.Locale;
import java.util.Map;

/**
 * How many GRPO steps every run gets. The comparison gives each (method, seed) the same step count,
 * which is fairer than the same time (a method that is slower per step would otherwise see fewer
 * prompts); a time budget scales that count down uniformly, from per-step costs measured by a probe
 * step of each method before any run starts.
 *
 * @param steps the steps every run gets
 * @param requested the steps asked for
 * @param explanation one sentence on how the count was chosen
 */
public record StepPlan(int steps, int requested, String explanation) {

  /** Validates the counts. */
  public StepPlan {
    if (steps < 1 || steps > requested) {
      throw new IllegalArgumentException(
          "steps must be in [1, requested=" + requested + "], got " + steps);
    }
  }

  /** No budget: every run gets the requested steps. */
  public static StepPlan unlimited(int requested) {
    return new StepPlan(requested, requested, "no time budget: every run gets the requested steps");
  }

  /**
   * Scales the step count down so that the remaining work fits the seconds left.
   *
   * @param requested the steps asked for
   * @param secondsLeft what is left of the budget now
   * @param fixedSeconds work that does not depend on the step count (warm starts of the seeds still
   *     to come, evaluations, reports)
   * @param secondsPerStep the probe's seconds per GRPO step, per method
   * @param seeds how many seeds each method runs for
   */
  public static StepPlan fit(
      int requested,
      double secondsLeft,
      double fixedSeconds,
      Map<CompareMethod, Double> secondsPerStep,
      int seeds) {
    double perStep = seeds * secondsPerStep.values().stream().mapToDouble(d -> d).sum();
    double forSteps = secondsLeft - fixedSeconds;
    int affordable = perStep > 0 ? (int) Math.floor(forSteps / perStep) : requested;
    int steps = Math.max(1, Math.min(requested, affordable));
    String why =
        String.format(
            Locale.ROOT,
            "%.0f s left, %.0f s for warm starts and evaluations, %.1f s per step across"
                + " %d method(s) × %d seed(s) → %s",
            secondsLeft,
            fixedSeconds,
            perStep,
            secondsPerStep.size(),
            seeds,
            steps == requested
                ? "the requested " + requested + " steps fit"
                : affordable < 1
                    ? "not even 1 step fits; running 1"
                    : steps + " of the requested " + requested + " steps fit");
    return new StepPlan(steps, requested, why);
  }
}

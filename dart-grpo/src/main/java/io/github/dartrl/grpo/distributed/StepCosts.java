package io.github.dartrl.grpo.distributed;

import java.util.Map;

/**
 * What one distributed GRPO step cost, as {@link SparkRollouts} measured it (docs/scaling.md).
 *
 * @param step 1-based step of this {@link SparkRollouts}
 * @param rolloutSeconds wall time of the rollout job (broadcast, rollouts, rewards, π_old/π_ref)
 * @param gradientSeconds wall time of the gradient jobs (one per mini-batch update)
 * @param broadcasts adapter broadcasts (one per job)
 * @param broadcastBytes bytes of the adapters, summed over the step's broadcasts
 * @param broadcastFetchSeconds the slowest executor's wait for a broadcast's value
 * @param trajectoryBytesIn bytes of trajectories, rewards and π_old/π_ref collected by the driver
 * @param trajectoryBytesOut bytes of trajectories sent back for the gradient jobs
 * @param gradientBytes bytes of the gradient shares reduced to the driver
 * @param modelLoads executor (id@pid) → seconds it took to load its backbone, for executors that
 *     loaded it during this step (once per JVM)
 */
public record StepCosts(
    int step,
    double rolloutSeconds,
    double gradientSeconds,
    int broadcasts,
    long broadcastBytes,
    double broadcastFetchSeconds,
    long trajectoryBytesIn,
    long trajectoryBytesOut,
    long gradientBytes,
    Map<String, Double> modelLoads) {

  /** One line for logs and the bench. */
  public String line() {
    return String.format(
        "step %d: rollout %.3f s, gradient %.3f s, broadcast %d x %,d B (fetch <= %.3f s),"
            + " trajectories %,d B in / %,d B out, gradients %,d B, model loads %s",
        step,
        rolloutSeconds,
        gradientSeconds,
        broadcasts,
        broadcasts == 0 ? 0 : broadcastBytes / broadcasts,
        broadcastFetchSeconds,
        trajectoryBytesIn,
        trajectoryBytesOut,
        gradientBytes,
        modelLoads);
  }
}

package io.github.dartrl.examples.scaling;

/**
 * One step of a local-versus-distributed measurement ({@code scripts/spark-cluster.sh}): the same
 * GRPO step run in-process and through Spark, and what the distributed one shipped.
 *
 * @param step 1-based step
 * @param localSeconds the in-process step's wall time
 * @param distributedSeconds the distributed step's wall time
 * @param rolloutSeconds the distributed step's rollout job
 * @param gradientSeconds the distributed step's gradient jobs
 * @param broadcasts adapter broadcasts in the step
 * @param bytesPerBroadcast bytes of the adapters in one broadcast
 * @param fetchSeconds the slowest executor's wait for a broadcast's value
 * @param trajectoryBytesIn trajectories collected by the driver
 * @param trajectoryBytesOut trajectories sent back for the gradient jobs
 * @param gradientBytes gradient shares reduced to the driver
 * @param modelLoadSeconds the slowest backbone load of an executor in this step (0: none)
 */
public record MeasuredStep(
    int step,
    double localSeconds,
    double distributedSeconds,
    double rolloutSeconds,
    double gradientSeconds,
    int broadcasts,
    long bytesPerBroadcast,
    double fetchSeconds,
    long trajectoryBytesIn,
    long trajectoryBytesOut,
    long gradientBytes,
    double modelLoadSeconds) {

  /** Time of the distributed step spent on the driver outside the rollout and gradient jobs. */
  public double driverSeconds() {
    return distributedSeconds - rolloutSeconds - gradientSeconds;
  }
}

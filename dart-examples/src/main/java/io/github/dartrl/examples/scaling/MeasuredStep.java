package io.github.dartrl.examples.scaling;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One step of a local-versus-distributed measurement ({@code scripts/spark-cluster.sh}): the same
 * GRPO step run in-process and through Spark, and what the distributed one shipped. The JSON names
 * are {@code costs.jsonl}'s keys ({@link MeasuredCosts}).
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
    @JsonProperty("local_s") double localSeconds,
    @JsonProperty("distributed_s") double distributedSeconds,
    @JsonProperty("rollout_s") double rolloutSeconds,
    @JsonProperty("gradient_s") double gradientSeconds,
    int broadcasts,
    @JsonProperty("broadcast_bytes") long bytesPerBroadcast,
    @JsonProperty("broadcast_fetch_s") double fetchSeconds,
    @JsonProperty("trajectory_bytes_in") long trajectoryBytesIn,
    @JsonProperty("trajectory_bytes_out") long trajectoryBytesOut,
    @JsonProperty("gradient_bytes") long gradientBytes,
    @JsonProperty("backbone_load_s") double modelLoadSeconds) {

  /** Time of the distributed step spent on the driver outside the rollout and gradient jobs. */
  public double driverSeconds() {
    return distributedSeconds - rolloutSeconds - gradientSeconds;
  }
}

package io.github.dartrl.examples.scaling;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Projects a distributed GRPO step of a target setting (Qwen2.5-3B, Search-R1's 512 × 5) to E
 * executors from measured parts. The model, every input printed with the table:
 *
 * <ul>
 *   <li>compute C = (seconds per backbone parameter per token of a measured real-shaped step) ×
 *       target parameters × target trajectories × tokens per trajectory, split into rollout and
 *       gradient work by the measured distributed steps' rollout / (rollout + gradient) ratio; both
 *       parts divide by E;
 *   <li>the driver's part of a step (measured distributed − rollout − gradient: advantages,
 *       gradient loading, clipping, AdamW, metrics) scales with the adapter floats and does not
 *       depend on E;
 *   <li>transfers run at the measured broadcast rate (adapter bytes / slowest fetch): each
 *       broadcast (1 + updates per step) costs ⌈log₂ E⌉ rounds (Spark's TorrentBroadcast; the
 *       measurement had 2 executors, one round); each update reduces E adapter-sized gradient
 *       shares into the driver; trajectories travel to the driver and back once.
 * </ul>
 */
public final class ScalingProjection {
  private final MeasuredRun measured;
  private final ProjectionInputs in;

  /** One projected executor count, times in seconds. */
  public record Row(
      int executors,
      double rolloutSeconds,
      double gradientSeconds,
      double driverSeconds,
      double broadcastSeconds,
      double gradientShippingSeconds,
      double trajectoryShippingSeconds) {
    /** The whole step. */
    public double stepSeconds() {
      return rolloutSeconds
          + gradientSeconds
          + driverSeconds
          + broadcastSeconds
          + gradientShippingSeconds
          + trajectoryShippingSeconds;
    }
  }

  public ScalingProjection(MeasuredRun measured, ProjectionInputs inputs) {
    this.measured = measured;
    this.in = inputs;
  }

  /** Seconds per parameter-token of the real-shaped step scaled from (the last one listed). */
  public double secondsPerParameterToken() {
    return in.realShaped().get(in.realShaped().size() - 1).secondsPerParameterToken();
  }

  /** Target trajectories per step. */
  public long trajectories() {
    return (long) in.prompts() * in.groupSize();
  }

  /** Rollout and gradient work of one target step on one executor, seconds. */
  public double computeSeconds() {
    return secondsPerParameterToken()
        * in.target().parameterCount()
        * trajectories()
        * in.tokensPerTrajectory();
  }

  /** Measured rollout / (rollout + gradient) over the steady steps. */
  public double rolloutShare() {
    double r = 0;
    double g = 0;
    for (MeasuredStep s : measured.steady(in.warmUpSteps())) {
      r += s.rolloutSeconds();
      g += s.gradientSeconds();
    }
    return r / (r + g);
  }

  /** Measured adapter floats (bytes of one broadcast / 4). */
  public long measuredAdapterFloats() {
    return measured.steps().get(0).bytesPerBroadcast() / Float.BYTES;
  }

  /** Mean measured driver seconds of a steady step. */
  public double measuredDriverSeconds() {
    List<MeasuredStep> steady = measured.steady(in.warmUpSteps());
    return steady.stream().mapToDouble(MeasuredStep::driverSeconds).sum() / steady.size();
  }

  /** Measured transfer rate, bytes per second: total broadcast bytes / total slowest fetch time. */
  public double bytesPerSecond() {
    double bytes = 0;
    double seconds = 0;
    for (MeasuredStep s : measured.steady(in.warmUpSteps())) {
      bytes += s.bytesPerBroadcast();
      seconds += s.fetchSeconds();
    }
    return bytes / seconds;
  }

  /** Target adapter bytes (fp32). */
  public long adapterBytes() {
    return in.adapterFloats() * Float.BYTES;
  }

  /** The projection for E executors. */
  public Row row(int executors) {
    double c = computeSeconds();
    double share = rolloutShare();
    double rate = bytesPerSecond();
    int rounds = Math.max(1, 32 - Integer.numberOfLeadingZeros(executors - 1)); // ⌈log₂ E⌉
    double driver = measuredDriverSeconds() * in.adapterFloats() / measuredAdapterFloats();
    double broadcast = (1 + in.updatesPerStep()) * rounds * adapterBytes() / rate;
    double gradients = (double) in.updatesPerStep() * executors * adapterBytes() / rate;
    double trajectories =
        2.0 * trajectories() * in.tokensPerTrajectory() * in.trajectoryBytesPerToken() / rate;
    return new Row(
        executors,
        c * share / executors,
        c * (1 - share) / executors,
        driver,
        broadcast,
        gradients,
        trajectories);
  }

  /** Every executor count of the inputs. */
  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int e : in.executors()) {
      rows.add(row(e));
    }
    return rows;
  }

  /** The assumptions and the table, as Markdown. */
  public String report() {
    StringBuilder sb = new StringBuilder();
    List<MeasuredStep> steady = measured.steady(in.warmUpSteps());
    sb.append(
        f(
            "Measured (spark-cluster.sh): %d prompts x G=%d, %d partitions; steps %d-%d used"
                + " (first %d left out as warm-up)%n",
            measured.prompts(),
            measured.groupSize(),
            measured.partitions(),
            steady.get(0).step(),
            steady.get(steady.size() - 1).step(),
            in.warmUpSteps()));
    sb.append(
        f(
            "- rollout share of rollout + gradient time: %.3f%n"
                + "- driver time per step (distributed - rollout - gradient): %.3f s at %,d"
                + " adapter floats%n"
                + "- transfer rate (broadcast bytes / slowest fetch): %.2f MB/s%n",
            rolloutShare(),
            measuredDriverSeconds(),
            measuredAdapterFloats(),
            bytesPerSecond() / 1e6));
    for (ProjectionInputs.RealShapedStep r : in.realShaped()) {
      sb.append(
          f(
              "Real-shaped step %s: %,d parameters, %d x %d tokens, %.1f s = %.3e s per"
                  + " parameter-token%n",
              r.name(),
              r.parameters(),
              r.trajectories(),
              r.tokensPerTrajectory(),
              r.seconds(),
              r.secondsPerParameterToken()));
    }
    sb.append(
        f(
            "Target %s: %,d parameters; %d adapters of rank %d on all 7 projections of %d layers ="
                + " %,d floats = %,d B (fp32)%n",
            in.targetName(),
            in.target().parameterCount(),
            in.adapters(),
            in.adapterRank(),
            in.target().numLayers(),
            in.adapterFloats(),
            adapterBytes()));
    sb.append(
        f(
            "Target step: %d prompts x G=%d = %,d trajectories x %d tokens; %d updates (gradient"
                + " jobs) and %d broadcasts per step; %.0f B per trajectory token shipped each way%n",
            in.prompts(),
            in.groupSize(),
            trajectories(),
            in.tokensPerTrajectory(),
            in.updatesPerStep(),
            1 + in.updatesPerStep(),
            in.trajectoryBytesPerToken()));
    sb.append(
        f(
            "Compute on one executor: %.3e s/parameter-token x parameters x tokens = %,.0f s per"
                + " step%n%n",
            secondsPerParameterToken(), computeSeconds()));
    sb.append(
        "Assumptions: an executor computes as fast as the real-shaped step's machine (fp32 on"
            + " CPU); rollout and gradient work divide by E; the driver's time scales with the"
            + " adapter floats and not with E; transfers run at the measured rate; each broadcast"
            + " takes ceil(log2 E) rounds (TorrentBroadcast; 1 round measured with 2 executors);"
            + " each update's E gradient shares reach the driver one after another (an upper"
            + " bound: treeReduce combines some on executors); trajectories travel once each way;"
            + " the executors' one backbone load per JVM is not in a step.\n\n");
    sb.append(
        "| E | rollout s | gradient s | driver s | broadcast s | gradient shipping s |"
            + " trajectory shipping s | step s | speed-up |\n");
    sb.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<Row> rows = rows();
    double base = row(1).stepSeconds();
    for (Row r : rows) {
      sb.append(
          f(
              "| %d | %,.0f | %,.0f | %.1f | %.1f | %.1f | %.1f | %,.0f | %.2f |%n",
              r.executors(),
              r.rolloutSeconds(),
              r.gradientSeconds(),
              r.driverSeconds(),
              r.broadcastSeconds(),
              r.gradientShippingSeconds(),
              r.trajectoryShippingSeconds(),
              r.stepSeconds(),
              base / r.stepSeconds()));
    }
    return sb.toString();
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

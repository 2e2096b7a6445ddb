package io.github.dartrl.examples.bench;

import java.util.List;

/**
 * The outcome of one {@link RetrieverLoad} run.
 *
 * @param clients concurrent clients
 * @param planned requests the run was asked to send
 * @param sent requests sent (fewer than planned only when the deadline stopped the run)
 * @param ok requests answered 200 with a well-formed body
 * @param errors requests that failed: transport error, another status, or a malformed body
 * @param errorSamples the first few error descriptions
 * @param seconds wall time of the run
 * @param p50Ms median latency, in milliseconds, over the requests sent
 * @param p90Ms 90th percentile latency
 * @param p99Ms 99th percentile latency
 * @param maxMs slowest request
 * @param stoppedByDeadline whether the time limit ended the run before all requests were sent
 */
public record LoadResult(
    int clients,
    int planned,
    int sent,
    int ok,
    int errors,
    List<String> errorSamples,
    double seconds,
    double p50Ms,
    double p90Ms,
    double p99Ms,
    double maxMs,
    boolean stoppedByDeadline) {

  /** Validates counts. */
  public LoadResult {
    if (ok + errors != sent || sent > planned) {
      throw new IllegalArgumentException(
          "inconsistent counts: planned " + planned + ", sent " + sent + ", ok " + ok);
    }
    errorSamples = List.copyOf(errorSamples);
  }

  /** Requests per second over the whole run. */
  public double requestsPerSecond() {
    return seconds > 0 ? sent / seconds : 0;
  }
}

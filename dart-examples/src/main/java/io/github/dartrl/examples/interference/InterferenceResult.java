package io.github.dartrl.examples.interference;

import io.github.dartrl.examples.quickstart.WarmStart;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.leas.attribution.AttributionResult;
import io.github.dartrl.leas.attribution.AttributionRun;
import io.github.dartrl.leas.probe.BatchProbeResult;
import io.github.dartrl.leas.probe.ProbeResult;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the interference job measured (also written to {@code summary.md} and {@code summary.json}).
 *
 * @param config what ran
 * @param out the results folder
 * @param warm the warm start (world, index, Base model, SFT); its SFT result and demonstration mix
 *     are null when it was reused
 * @param reusedWarmStart the earlier run whose warm start was reused, or null
 * @param questionsRequested attribution questions asked for (after limiting to the test split)
 * @param probeQuestions probe queries given to the probe
 * @param base Base's greedy EM on the attribution questions
 * @param variants Unified, Reas and Tool
 * @param attribution the CEA sampling and analysis
 * @param probes one per probe target, in the configured order
 * @param timings wall seconds per phase, plus {@code total}
 * @param cpuSeconds process CPU seconds per phase, plus {@code total}
 * @param loadAverage the machine's load average at the end (others' jobs slow this one)
 */
public record InterferenceResult(
    InterferenceConfig config,
    Path out,
    WarmStart warm,
    Path reusedWarmStart,
    int questionsRequested,
    int probeQuestions,
    EvalResult base,
    List<VariantRun> variants,
    AttributionOutcome attribution,
    List<ProbeOutcome> probes,
    Map<String, Double> timings,
    Map<String, Double> cpuSeconds,
    String loadAverage) {

  public InterferenceResult {
    variants = List.copyOf(variants);
    probes = List.copyOf(probes);
    // insertion order = phase order
    timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    cpuSeconds = Collections.unmodifiableMap(new LinkedHashMap<>(cpuSeconds));
  }

  /**
   * The attribution: the sampling run (null only if sampling itself failed) and its analysis, or
   * why there is none (e.g. every question filtered out: no variant was ever correct).
   */
  public record AttributionOutcome(
      AttributionRun run, AttributionResult result, String error, double seconds) {
    public boolean ok() {
      return result != null;
    }
  }

  /**
   * One probe: its per-trajectory result, or why there is none (e.g. no query with mixed rewards);
   * and the batch-level result on the same rollouts, or why there is none (e.g. one mixed group).
   */
  public record ProbeOutcome(
      ProbeTarget target,
      ProbeResult result,
      String error,
      BatchProbeResult batch,
      String batchError,
      double seconds) {
    public boolean ok() {
      return result != null;
    }

    public boolean hasBatch() {
      return batch != null;
    }
  }
}

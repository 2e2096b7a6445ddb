package io.github.dartrl.leas.attribution;

import io.github.dartrl.leas.variant.CeaModel;
import io.github.dartrl.leas.variant.HybridMode;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link AttributionRunner} produced: the count table and per-variant diagnostics.
 *
 * @param counts k of N per question and model
 * @param diagnostics per model: EM rate, searches, truncation, ...
 * @param hybridMode how the hybrids were run
 * @param samplesPerQuestion N
 * @param seed the sampling seed
 * @param streams whether the variants sampled from their own random streams or a common one
 */
public record AttributionRun(
    CountTable counts,
    Map<CeaModel, VariantDiagnostics> diagnostics,
    HybridMode hybridMode,
    int samplesPerQuestion,
    long seed,
    SamplingStreams streams) {
  public AttributionRun {
    diagnostics = Map.copyOf(diagnostics);
    Objects.requireNonNull(streams, "streams");
  }
}

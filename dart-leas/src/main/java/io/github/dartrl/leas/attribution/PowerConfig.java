package io.github.dartrl.leas.attribution;

import java.util.List;
import java.util.Objects;

/**
 * Settings of a λ23 power simulation ({@link Lambda23Power}): the grid of cells (samples per
 * variant × planted δ × share of questions that carry it) and, per simulated measurement, the
 * settings of the real analysis it repeats.
 *
 * @param samples N per variant and question, one grid axis (the measured table's own N is one
 *     choice)
 * @param deltas planted λ23 values on the logit scale, one grid axis (negative = interference; 0
 *     measures the false-positive rate)
 * @param shares fractions of the questions that carry the planted δ (the others carry 0), one grid
 *     axis, each in [0, 1]
 * @param truth the rates the interaction is planted into
 * @param simulations simulated measurements per cell
 * @param nullReplicates R of each simulated measurement's identical-models null
 * @param bootstrapResamples B of each simulated measurement's percentile CI
 * @param confidenceLevel CI level (0.95 is the readings' level)
 * @param smoothing the analysis's smoothing
 * @param seed the seed every simulation's stream derives from
 */
public record PowerConfig(
    List<Integer> samples,
    List<Double> deltas,
    List<Double> shares,
    PlantedTruth truth,
    int simulations,
    int nullReplicates,
    int bootstrapResamples,
    double confidenceLevel,
    Smoothing smoothing,
    long seed) {

  public PowerConfig {
    samples = List.copyOf(samples);
    deltas = List.copyOf(deltas);
    shares = List.copyOf(shares);
    Objects.requireNonNull(truth, "truth");
    Objects.requireNonNull(smoothing, "smoothing");
    if (samples.isEmpty() || deltas.isEmpty() || shares.isEmpty()) {
      throw new IllegalArgumentException("samples, deltas and shares each need at least one value");
    }
    for (int n : samples) {
      if (n < 1) {
        throw new IllegalArgumentException("samples per variant must be >= 1, got " + n);
      }
    }
    for (double d : deltas) {
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("deltas must be finite, got " + d);
      }
    }
    for (double s : shares) {
      if (!(s >= 0 && s <= 1)) {
        throw new IllegalArgumentException("shares must be in [0, 1], got " + s);
      }
    }
    if (simulations < 1) {
      throw new IllegalArgumentException("simulations must be >= 1, got " + simulations);
    }
    if (nullReplicates < 1) {
      throw new IllegalArgumentException("nullReplicates must be >= 1, got " + nullReplicates);
    }
    if (bootstrapResamples < 1) {
      throw new IllegalArgumentException(
          "bootstrapResamples must be >= 1, got " + bootstrapResamples);
    }
    if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
      throw new IllegalArgumentException(
          "confidenceLevel must be in (0, 1), got " + confidenceLevel);
    }
  }

  /**
   * N = 10, 20, 50; δ = 0, −0.5, −1, −2; shares ½ and 1; measured truth; 200 simulations per cell,
   * R = 500, B = 1000, 95%, (k+½)/(N+1), seed 0.
   */
  public static PowerConfig defaults() {
    return new PowerConfig(
        List.of(10, 20, 50),
        List.of(0.0, -0.5, -1.0, -2.0),
        List.of(0.5, 1.0),
        PlantedTruth.MEASURED,
        200,
        500,
        1000,
        0.95,
        Smoothing.ADD_HALF,
        0);
  }

  /** The number of cells of the grid. */
  public int cells() {
    return samples.size() * deltas.size() * shares.size();
  }

  /** The settings of one simulated measurement's analysis. */
  AttributionConfig analysis(long simulationSeed) {
    return new AttributionConfig(
        smoothing, bootstrapResamples, confidenceLevel, simulationSeed, 2, nullReplicates);
  }
}

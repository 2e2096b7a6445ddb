package io.github.dartrl.leas.attribution;

import java.util.Objects;

/**
 * Settings of the attribution statistics.
 *
 * @param smoothing how k/N becomes a finite logit
 * @param bootstrapResamples B for the percentile CIs of the sign fractions
 * @param confidenceLevel CI level, e.g. 0.95 (also the level of the null's interval)
 * @param seed bootstrap seed (the null uses its own stream derived from it)
 * @param histogramBins bins of the λ histograms (rounded up to even, so 0 is an edge)
 * @param nullReplicates R, replicates of the identical-models null of the fraction λ23 &lt; 0
 *     ({@link IdenticalModelsNull})
 */
public record AttributionConfig(
    Smoothing smoothing,
    int bootstrapResamples,
    double confidenceLevel,
    long seed,
    int histogramBins,
    int nullReplicates) {

  /** Default R of the identical-models null. */
  public static final int DEFAULT_NULL_REPLICATES = 2000;

  public AttributionConfig {
    Objects.requireNonNull(smoothing, "smoothing");
    if (bootstrapResamples < 1) {
      throw new IllegalArgumentException("bootstrapResamples must be >= 1");
    }
    if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
      throw new IllegalArgumentException("confidenceLevel must be in (0, 1)");
    }
    if (histogramBins < 2) {
      throw new IllegalArgumentException("histogramBins must be >= 2");
    }
    if (nullReplicates < 1) {
      throw new IllegalArgumentException("nullReplicates must be >= 1, got " + nullReplicates);
    }
  }

  /** Settings with {@link #DEFAULT_NULL_REPLICATES} null replicates. */
  public AttributionConfig(
      Smoothing smoothing,
      int bootstrapResamples,
      double confidenceLevel,
      long seed,
      int histogramBins) {
    this(
        smoothing,
        bootstrapResamples,
        confidenceLevel,
        seed,
        histogramBins,
        DEFAULT_NULL_REPLICATES);
  }

  /** (k+½)/(N+1) smoothing, 10 000 resamples, 95% CI, seed 0, 30 bins, 2000 null replicates. */
  public static AttributionConfig defaults() {
    return new AttributionConfig(Smoothing.ADD_HALF, 10_000, 0.95, 0, 30);
  }

  public AttributionConfig withSmoothing(Smoothing s) {
    return new AttributionConfig(
        s, bootstrapResamples, confidenceLevel, seed, histogramBins, nullReplicates);
  }

  public AttributionConfig withBootstrap(int resamples, long bootstrapSeed) {
    return new AttributionConfig(
        smoothing, resamples, confidenceLevel, bootstrapSeed, histogramBins, nullReplicates);
  }

  public AttributionConfig withNullReplicates(int r) {
    return new AttributionConfig(
        smoothing, bootstrapResamples, confidenceLevel, seed, histogramBins, r);
  }

  /**
   * The seed of the null's generator: the stream after the six coefficients' bootstrap streams
   * ({@code 31·seed + c}, c = 0..5), so changing R never shifts a CI.
   */
  public long nullSeed() {
    return seed * 31 + Coefficient.values().length;
  }
}

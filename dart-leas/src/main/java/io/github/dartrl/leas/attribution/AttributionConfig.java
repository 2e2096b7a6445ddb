package io.github.dartrl.leas.attribution;

import java.util.Objects;

/**
 * Settings of the attribution statistics.
 *
 * @param smoothing how k/N becomes a finite logit
 * @param bootstrapResamples B for the percentile CIs of the sign fractions
 * @param confidenceLevel CI level, e.g. 0.95
 * @param seed bootstrap seed
 * @param histogramBins bins of the λ histograms (rounded up to even, so 0 is an edge)
 */
public record AttributionConfig(
    Smoothing smoothing,
    int bootstrapResamples,
    double confidenceLevel,
    long seed,
    int histogramBins) {

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
  }

  /** (k+½)/(N+1) smoothing, 10 000 resamples, 95% CI, seed 0, 30 bins. */
  public static AttributionConfig defaults() {
    return new AttributionConfig(Smoothing.ADD_HALF, 10_000, 0.95, 0, 30);
  }

  public AttributionConfig withSmoothing(Smoothing s) {
    return new AttributionConfig(s, bootstrapResamples, confidenceLevel, seed, histogramBins);
  }

  public AttributionConfig withBootstrap(int resamples, long bootstrapSeed) {
    return new AttributionConfig(
        smoothing, resamples, confidenceLevel, bootstrapSeed, histogramBins);
  }
}

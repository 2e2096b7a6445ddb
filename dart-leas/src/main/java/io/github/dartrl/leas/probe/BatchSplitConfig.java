package io.github.dartrl.leas.probe;

/**
 * Settings of the batch-level angle probe ({@link BatchSplitAngles}).
 *
 * @param splits random half splits of the groups (each costs O(groups²) once the gradients' dot
 *     products exist, so hundreds are cheap)
 * @param seed seed of the splits
 * @param histogramBins bins over [0°, 180°]
 */
public record BatchSplitConfig(int splits, long seed, int histogramBins) {
  /** Upper bound on {@code splits}: the Wilcoxon approximation counts ranks in an {@code int}. */
  public static final int MAX_SPLITS = 10_000;

  public BatchSplitConfig {
    if (splits < 1 || splits > MAX_SPLITS) {
      throw new IllegalArgumentException(
          "splits must be in [1, " + MAX_SPLITS + "], got " + splits);
    }
    if (histogramBins < 1) {
      throw new IllegalArgumentException("histogramBins must be >= 1, got " + histogramBins);
    }
  }

  /** 200 splits, seed 0, 5° bins. */
  public static BatchSplitConfig defaults() {
    return new BatchSplitConfig(200, 0, 36);
  }

  public BatchSplitConfig withSplits(int n) {
    return new BatchSplitConfig(n, seed, histogramBins);
  }

  public BatchSplitConfig withSeed(long s) {
    return new BatchSplitConfig(splits, s, histogramBins);
  }
}

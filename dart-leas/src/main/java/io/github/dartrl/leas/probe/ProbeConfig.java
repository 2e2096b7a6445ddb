package io.github.dartrl.leas.probe;

/**
 * Settings of the gradient-angle probe.
 *
 * @param groupSize G rollouts per query (the paper: 16)
 * @param queriesPerRollout queries rolled out together (rows = queries × G)
 * @param scaleAdvantagesByStd GRPO {@code (r − mean)/(std + ε)} (true) or {@code r − mean}
 * @param seed sampling seed
 * @param histogramBins bins over [0°, 180°]
 */
public record ProbeConfig(
    int groupSize,
    int queriesPerRollout,
    boolean scaleAdvantagesByStd,
    long seed,
    int histogramBins) {

  public ProbeConfig {
    if (groupSize < 2) {
      throw new IllegalArgumentException("groupSize must be >= 2 (advantages need a group)");
    }
    if (queriesPerRollout < 1) {
      throw new IllegalArgumentException("queriesPerRollout must be >= 1");
    }
    if (histogramBins < 1) {
      throw new IllegalArgumentException("histogramBins must be >= 1");
    }
  }

  /** G = 16, 2 queries per rollout batch, std-scaled advantages, seed 0, 5° bins. */
  public static ProbeConfig defaults() {
    return new ProbeConfig(16, 2, true, 0, 36);
  }

  public ProbeConfig withGroupSize(int g) {
    return new ProbeConfig(g, queriesPerRollout, scaleAdvantagesByStd, seed, histogramBins);
  }

  public ProbeConfig withSeed(long s) {
    return new ProbeConfig(groupSize, queriesPerRollout, scaleAdvantagesByStd, s, histogramBins);
  }

  public ProbeConfig withQueriesPerRollout(int q) {
    return new ProbeConfig(groupSize, q, scaleAdvantagesByStd, seed, histogramBins);
  }
}

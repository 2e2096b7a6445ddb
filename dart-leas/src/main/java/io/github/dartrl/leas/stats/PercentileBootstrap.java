package io.github.dartrl.leas.stats;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Seeded nonparametric bootstrap with percentile confidence intervals (Efron &amp; Tibshirani,
 * <i>An Introduction to the Bootstrap</i>, 1993, §13.3): resample the observations with replacement
 * {@code B} times, evaluate the statistic on each resample, and take the type-7 quantiles {@code (1
 * − level)/2} and {@code (1 + level)/2} of the B values. The same data, statistic, B and seed
 * always give the same interval.
 */
public final class PercentileBootstrap {
  private PercentileBootstrap() {}

  /**
   * A point estimate with its percentile interval.
   *
   * @param estimate the statistic on the full sample
   * @param lower lower bound
   * @param upper upper bound
   * @param level confidence level, e.g. 0.95
   * @param resamples B
   * @param seed the resampling seed
   */
  public record Interval(
      double estimate, double lower, double upper, double level, int resamples, long seed) {}

  /**
   * Bootstraps {@code statistic} over {@code data}.
   *
   * @param data the observations (one value per independent unit, e.g. per question)
   * @param statistic evaluated on the full sample and on every resample (same length)
   * @param resamples B ≥ 1
   * @param level in (0, 1)
   * @param seed resampling seed
   */
  public static Interval interval(
      double[] data, ToDoubleFunction<double[]> statistic, int resamples, double level, long seed) {
    if (data.length == 0) {
      throw new IllegalArgumentException("cannot bootstrap an empty sample");
    }
    if (resamples < 1) {
      throw new IllegalArgumentException("need at least one resample, got " + resamples);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1), got " + level);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] stats = new double[resamples];
    double[] sample = new double[data.length];
    for (int b = 0; b < resamples; b++) {
      for (int i = 0; i < sample.length; i++) {
        sample[i] = data[rng.nextInt(data.length)];
      }
      stats[b] = statistic.applyAsDouble(sample);
    }
    Arrays.sort(stats);
    return new Interval(
        statistic.applyAsDouble(data.clone()),
        Summary.quantileSorted(stats, (1 - level) / 2),
        Summary.quantileSorted(stats, (1 + level) / 2),
        level,
        resamples,
        seed);
  }

  /** The mean, a common statistic (e.g. of 0/1 indicators: a fraction). */
  public static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }
}

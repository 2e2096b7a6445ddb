package io.github.dartrl.leas.stats;

import java.util.Arrays;

/**
 * Descriptive statistics of a sample. Quantiles are Hyndman–Fan type 7 (R's default, NumPy's {@code
 * linear}): {@code h = (n − 1)p}, {@code Q(p) = x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎)} on the
 * sorted sample. An empty sample has {@code n = 0} and NaN everywhere else.
 *
 * @param n sample size
 * @param mean arithmetic mean
 * @param std sample standard deviation (divisor n − 1; 0 for n = 1)
 * @param min smallest value
 * @param p05 5th percentile
 * @param p25 first quartile
 * @param median median
 * @param p75 third quartile
 * @param p95 95th percentile
 * @param max largest value
 */
public record Summary(
    int n,
    double mean,
    double std,
    double min,
    double p05,
    double p25,
    double median,
    double p75,
    double p95,
    double max) {

  /** Summarises {@code values} (not modified). NaN values are rejected. */
  public static Summary of(double[] values) {
    int n = values.length;
    if (n == 0) {
      double nan = Double.NaN;
      return new Summary(0, nan, nan, nan, nan, nan, nan, nan, nan, nan);
    }
    double[] x = values.clone();
    Arrays.sort(x);
    if (Double.isNaN(x[n - 1])) {
      throw new IllegalArgumentException("cannot summarise NaN values");
    }
    double mean = 0;
    for (double v : x) {
      mean += v;
    }
    mean /= n;
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    double std = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
    return new Summary(
        n,
        mean,
        std,
        x[0],
        quantileSorted(x, 0.05),
        quantileSorted(x, 0.25),
        quantileSorted(x, 0.5),
        quantileSorted(x, 0.75),
        quantileSorted(x, 0.95),
        x[n - 1]);
  }

  /** The type-7 quantile {@code p} in [0, 1] of an ascending, non-empty array. */
  public static double quantileSorted(double[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("quantile of an empty sample");
    }
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException("p must be in [0, 1], got " + p);
    }
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }

  /** The type-7 quantile {@code p} of {@code values} (not modified). */
  public static double quantile(double[] values, double p) {
    double[] x = values.clone();
    Arrays.sort(x);
    return quantileSorted(x, p);
  }
}

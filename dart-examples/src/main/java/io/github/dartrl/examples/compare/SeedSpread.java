package io.github.dartrl.examples.compare;

import java.util.Arrays;
import java.util.Locale;

/**
 * Mean and spread of one number over seeds: the sample standard deviation (n − 1 in the
 * denominator; undefined for one seed) and the range.
 *
 * @param n the number of seeds
 * @param mean the mean
 * @param std the sample standard deviation (NaN for one seed)
 * @param min the smallest value
 * @param max the largest value
 */
public record SeedSpread(int n, double mean, double std, double min, double max) {

  /** The spread of {@code values} (at least one, all finite). */
  public static SeedSpread of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double mean = Arrays.stream(values).average().orElseThrow();
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    double std = values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : Double.NaN;
    return new SeedSpread(
        values.length,
        mean,
        std,
        Arrays.stream(values).min().orElseThrow(),
        Arrays.stream(values).max().orElseThrow());
  }

  /** {@code 0.312 ± 0.021}, or {@code 0.312} for one seed. */
  public String format() {
    return n > 1
        ? String.format(Locale.ROOT, "%.3f ± %.3f", mean, std)
        : String.format(Locale.ROOT, "%.3f", mean);
  }
}

package io.github.dartrl.leas.stats;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The paired Wilcoxon signed-rank test (Wilcoxon 1945) with the large-sample normal approximation.
 *
 * <p>For pairs {@code (xᵢ, yᵢ)} let {@code dᵢ = xᵢ − yᵢ}. Zero differences are dropped (Wilcoxon's
 * original treatment; {@code zeros} reports how many), leaving {@code n} pairs. The |dᵢ| are ranked
 * 1..n with tied values sharing their average rank. With {@code W⁺} the sum of the ranks of
 * positive differences:
 *
 * <pre>
 *   E[W⁺]   = n(n+1)/4
 *   Var[W⁺] = n(n+1)(2n+1)/24 − Σₜ (t³ − t)/48     (t: size of each group of tied |d|)
 *   z       = (W⁺ − E[W⁺]) / √Var[W⁺]
 *   p       = 2(1 − Φ(|z|))                        (two-sided)
 * </pre>
 *
 * (Hollander, Wolfe &amp; Chicken, <i>Nonparametric Statistical Methods</i>, 3rd ed., §3.1, with
 * the tie correction of the variance; the same numbers as SciPy's {@code
 * wilcoxon(zero_method="wilcox", correction=False, method="approx")}.) No continuity correction is
 * applied. The approximation is rough below about n = 10; {@code n} is reported so a reader can
 * judge. With no non-zero difference, z and p are NaN.
 */
public final class WilcoxonSignedRank {
  private WilcoxonSignedRank() {}

  /**
   * The test result.
   *
   * @param pairs pairs given
   * @param zeros pairs with zero difference (dropped)
   * @param n pairs used (non-zero differences)
   * @param wPlus sum of the ranks of positive differences
   * @param wMinus sum of the ranks of negative differences
   * @param z standardised W⁺ (positive when x tends to exceed y)
   * @param pValue two-sided p-value of the normal approximation
   * @param medianDifference median of all differences (including zeros)
   */
  public record Result(
      int pairs,
      int zeros,
      int n,
      double wPlus,
      double wMinus,
      double z,
      double pValue,
      double medianDifference) {}

  /** Tests whether the paired samples {@code x} and {@code y} differ in location. */
  public static Result test(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "paired test needs samples of equal size, got " + x.length + " and " + y.length);
    }
    double[] d = new double[x.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = x[i] - y[i];
      if (!Double.isFinite(d[i])) {
        throw new IllegalArgumentException("non-finite difference at pair " + i);
      }
    }
    double median = d.length == 0 ? Double.NaN : Summary.quantile(d, 0.5);
    double[] nz = Arrays.stream(d).filter(v -> v != 0).toArray();
    int n = nz.length;
    int zeros = d.length - n;
    if (n == 0) {
      return new Result(d.length, zeros, 0, 0, 0, Double.NaN, Double.NaN, median);
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> Math.abs(nz[i])));
    double[] rank = new double[n];
    double tieTerm = 0;
    for (int i = 0; i < n; ) {
      int j = i;
      while (j + 1 < n && Math.abs(nz[order[j + 1]]) == Math.abs(nz[order[i]])) {
        j++;
      }
      double avg = (i + 1 + j + 1) / 2.0; // ranks i+1..j+1 share their mean
      for (int k = i; k <= j; k++) {
        rank[order[k]] = avg;
      }
      double t = j - i + 1;
      tieTerm += t * t * t - t;
      i = j + 1;
    }
    double wPlus = 0;
    double wMinus = 0;
    for (int i = 0; i < n; i++) {
      if (nz[i] > 0) {
        wPlus += rank[i];
      } else {
        wMinus += rank[i];
      }
    }
    double mean = n * (n + 1) / 4.0;
    double var = n * (n + 1.0) * (2 * n + 1) / 24.0 - tieTerm / 48.0;
    double z = var > 0 ? (wPlus - mean) / Math.sqrt(var) : Double.NaN;
    double p = Double.isNaN(z) ? Double.NaN : Normal.twoSidedP(z);
    return new Result(d.length, zeros, n, wPlus, wMinus, z, p, median);
  }
}

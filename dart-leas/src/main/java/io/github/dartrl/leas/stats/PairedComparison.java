package io.github.dartrl.leas.stats;

import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/**
 * A paired comparison of two samples {@code x} and {@code y} (e.g. per random split: the inter-role
 * angle and the same-role angle): the share of pairs with {@code x > y}, the mean and median of
 * {@code d = x − y}, and the Wilcoxon signed-rank test of commons-math3 ({@link
 * WilcoxonSignedRankTest}, ties given their average rank, the large-sample normal approximation
 * with continuity correction; zero differences are ranked, not dropped).
 *
 * <p>The test assumes independent pairs. When the pairs come from random splits of one batch they
 * are not independent (every split reuses the same groups), so its p-value overstates the evidence:
 * with enough splits it becomes as small as one likes. Read {@link #fractionGreater()} and the
 * distribution of the differences first.
 *
 * @param n pairs compared (pairs with a NaN side are left out)
 * @param fractionGreater share of pairs with {@code x > y}
 * @param meanDifference mean of {@code x − y}
 * @param medianDifference median (type 7) of {@code x − y}
 * @param wilcoxonStatistic {@code max(W⁺, W⁻)}, as commons-math3 reports it
 * @param pValue two-sided p-value of the normal approximation (NaN below 2 pairs)
 */
public record PairedComparison(
    int n,
    double fractionGreater,
    double meanDifference,
    double medianDifference,
    double wilcoxonStatistic,
    double pValue) {

  /** Compares {@code x} with {@code y} pair by pair, leaving out pairs with a NaN. */
  public static PairedComparison of(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "paired comparison needs samples of equal size, got " + x.length + " and " + y.length);
    }
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        n++;
      }
    }
    double[] a = new double[n];
    double[] b = new double[n];
    double[] d = new double[n];
    int at = 0;
    int greater = 0;
    double sum = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        a[at] = x[i];
        b[at] = y[i];
        d[at] = x[i] - y[i];
        greater += d[at] > 0 ? 1 : 0;
        sum += d[at];
        at++;
      }
    }
    if (n == 0) {
      double nan = Double.NaN;
      return new PairedComparison(0, nan, nan, nan, nan, nan);
    }
    double w = Double.NaN;
    double p = Double.NaN;
    if (n >= 2) {
      WilcoxonSignedRankTest test = new WilcoxonSignedRankTest();
      w = test.wilcoxonSignedRank(a, b);
      // exact p-values only exist in commons-math3 up to 30 pairs; use the approximation always so
      // that the method does not change with the number of splits
      p = test.wilcoxonSignedRankTest(a, b, false);
    }
    return new PairedComparison(
        n, greater / (double) n, sum / n, Summary.quantile(d, 0.5), w, Math.min(1, p));
  }
}

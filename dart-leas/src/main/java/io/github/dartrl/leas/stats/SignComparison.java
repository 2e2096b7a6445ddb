package io.github.dartrl.leas.stats;

import org.apache.commons.math3.stat.inference.AlternativeHypothesis;
import org.apache.commons.math3.stat.inference.BinomialTest;

/**
 * The sign test of a coefficient's non-zero values: are negatives and positives equally likely?
 * Exact two-sided binomial test of commons-math3 ({@link BinomialTest}) of {@code negative}
 * successes in {@code negative + positive} trials at ½; zeros are left out.
 *
 * <p>For λ23 it complements the identical-models null: it asks whether interference (λ23 &lt; 0)
 * outnumbers synergy (λ23 &gt; 0), which no-interaction makes symmetric whatever the noise, while
 * the null's fraction λ23 &lt; 0 depends on how often equal counts give λ23 = 0.
 *
 * @param negative values &lt; 0
 * @param positive values &gt; 0
 * @param pValue two-sided exact p-value (NaN with no non-zero value)
 */
public record SignComparison(int negative, int positive, double pValue) {
  public SignComparison {
    if (negative < 0 || positive < 0) {
      throw new IllegalArgumentException(
          "counts must be >= 0, got " + negative + " negative and " + positive + " positive");
    }
  }

  /** The test of {@code negative} against {@code positive}. */
  public static SignComparison of(int negative, int positive) {
    int n = negative + positive;
    double p =
        n == 0
            ? Double.NaN
            : new BinomialTest().binomialTest(n, negative, 0.5, AlternativeHypothesis.TWO_SIDED);
    return new SignComparison(negative, positive, Math.min(1, p));
  }

  /** Share of the non-zero values that are negative (NaN with none). */
  public double negativeShare() {
    int n = negative + positive;
    return n == 0 ? Double.NaN : negative / (double) n;
  }
}

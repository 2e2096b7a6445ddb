package io.github.dartrl.leas.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PercentileBootstrapTest {
  static double[] indicators(int n, double p, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() < p ? 1 : 0;
    }
    return x;
  }

  @Test
  void sameSeedSameIntervalOtherSeedOtherInterval() {
    double[] x = indicators(200, 0.6, 3);
    var a = PercentileBootstrap.interval(x, PercentileBootstrap::mean, 2000, 0.95, 7);
    var b = PercentileBootstrap.interval(x, PercentileBootstrap::mean, 2000, 0.95, 7);
    var c = PercentileBootstrap.interval(x, PercentileBootstrap::mean, 2000, 0.95, 8);
    assertThat(b).isEqualTo(a);
    assertThat(c.lower() != a.lower() || c.upper() != a.upper()).isTrue();
    assertThat(a.lower()).isLessThanOrEqualTo(a.estimate());
    assertThat(a.upper()).isGreaterThanOrEqualTo(a.estimate());
    // the binomial standard error is sqrt(.6·.4/200) ≈ 0.035: the 95% CI spans roughly ±0.07
    assertThat(a.upper() - a.lower()).isBetween(0.09, 0.18);
  }

  /** Smallest k with P(Binomial(n, p) ≤ k) ≥ q, from the exact pmf. */
  static int binomialQuantile(int n, double p, double q) {
    double pmf = Math.pow(1 - p, n);
    double cdf = pmf;
    int k = 0;
    while (cdf < q && k < n) {
      pmf *= (n - k) / (k + 1.0) * p / (1 - p);
      k++;
      cdf += pmf;
    }
    return k;
  }

  /**
   * For 0/1 data with k ones out of n, the bootstrap mean is exactly Binomial(n, k/n) / n, so with
   * many resamples the percentile bounds are the binomial quantiles: each bound must land within
   * one grid step (1/n) of them. A width off by 2× (or a 90% interval for a 95% one, or bounds from
   * the wrong tails) misses by many steps.
   */
  @Test
  void boundsOfAFractionAreTheExactBinomialQuantiles() {
    int n = 200;
    double[] x = indicators(n, 0.6, 3);
    double phat = PercentileBootstrap.mean(x);
    for (double level : new double[] {0.95, 0.8}) {
      var ci = PercentileBootstrap.interval(x, PercentileBootstrap::mean, 40_000, level, 11);
      double lower = binomialQuantile(n, phat, (1 - level) / 2) / (double) n;
      double upper = binomialQuantile(n, phat, (1 + level) / 2) / (double) n;
      assertThat(ci.estimate()).isEqualTo(phat);
      assertThat(ci.lower()).as("lower bound at %s", level).isCloseTo(lower, within(1.0 / n));
      assertThat(ci.upper()).as("upper bound at %s", level).isCloseTo(upper, within(1.0 / n));
      assertThat(ci.upper() - ci.lower())
          .as("width at %s", level)
          .isCloseTo(upper - lower, within(1.0 / n));
    }
  }

  /**
   * For the mean of continuous data the bootstrap distribution is close to normal with the plug-in
   * standard error s/√n (s with divisor n): the 95% interval's width is 2 · 1.96 · s/√n within a
   * few per cent, and its centre is the sample mean.
   */
  @Test
  void widthOfAMeanMatchesTheNormalApproximation() {
    int n = 400;
    SplittableRandom r = new SplittableRandom(5);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextDouble() * 10;
    }
    double mean = PercentileBootstrap.mean(x);
    double ss = 0;
    for (double v : x) {
      ss += (v - mean) * (v - mean);
    }
    double se = Math.sqrt(ss / n) / Math.sqrt(n);
    var ci = PercentileBootstrap.interval(x, PercentileBootstrap::mean, 40_000, 0.95, 13);
    double expected = 2 * 1.959964 * se;
    assertThat(ci.upper() - ci.lower()).isCloseTo(expected, within(0.03 * expected));
    assertThat((ci.upper() + ci.lower()) / 2).isCloseTo(mean, within(0.05 * se));
  }

  @Test
  void degenerateSampleHasAPointInterval() {
    var ci =
        PercentileBootstrap.interval(
            new double[] {1, 1, 1}, PercentileBootstrap::mean, 100, 0.9, 1);
    assertThat(ci.estimate()).isEqualTo(1.0);
    assertThat(ci.lower()).isEqualTo(1.0);
    assertThat(ci.upper()).isEqualTo(1.0);
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(
            () ->
                PercentileBootstrap.interval(new double[0], PercentileBootstrap::mean, 10, 0.95, 1))
        .hasMessageContaining("empty");
    assertThatThrownBy(
            () ->
                PercentileBootstrap.interval(new double[] {1}, PercentileBootstrap::mean, 10, 1, 1))
        .hasMessageContaining("level");
  }
}

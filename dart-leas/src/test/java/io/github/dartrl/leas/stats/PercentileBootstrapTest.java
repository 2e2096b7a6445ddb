package io.github.dartrl.leas.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

package io.github.dartrl.leas.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DescriptiveTest {

  @Test
  void summaryUsesType7Quantiles() {
    double[] x = {10, 1, 9, 2, 8, 3, 7, 4, 6, 5}; // 1..10 shuffled
    Summary s = Summary.of(x);
    assertThat(s.n()).isEqualTo(10);
    assertThat(s.mean()).isEqualTo(5.5);
    assertThat(s.median()).isEqualTo(5.5);
    assertThat(s.p25()).isCloseTo(3.25, within(1e-12)); // R: quantile(1:10, .25)
    assertThat(s.p75()).isCloseTo(7.75, within(1e-12));
    assertThat(s.p05()).isCloseTo(1.45, within(1e-12));
    assertThat(s.std()).isCloseTo(Math.sqrt(55.0 / 6), within(1e-12));
    assertThat(x[0]).as("input untouched").isEqualTo(10);
    assertThat(Summary.of(new double[0]).mean()).isNaN();
  }

  @Test
  void histogramCountsEdgesAndOutliers() {
    Histogram h = Histogram.of(new double[] {0, 45, 89.9, 90, 180, -1, 181}, 0, 180, 2);
    assertThat(h.counts()).containsExactly(3, 2);
    assertThat(h.below()).isEqualTo(1);
    assertThat(h.above()).isEqualTo(1);
    Histogram sym = Histogram.symmetric(new double[] {-0.5, 0, 2}, 3);
    assertThat(sym.bins()).isEqualTo(4);
    assertThat(sym.edges()).containsExactly(-2, -1, 0, 1, 2);
    assertThat(sym.counts()).containsExactly(0, 1, 1, 1);
  }

  @Test
  void normalDistribution() {
    assertThat(Normal.cdf(0)).isCloseTo(0.5, within(1e-7));
    assertThat(Normal.cdf(1.96)).isCloseTo(0.9750021, within(1e-7));
    assertThat(Normal.cdf(-1.96)).isCloseTo(0.0249979, within(1e-7));
    assertThat(Normal.erfc(1.0)).isCloseTo(0.1572992, within(1e-7));
    assertThat(Normal.twoSidedP(0)).isCloseTo(1.0, within(1e-7));
  }
}

package io.github.dartrl.leas.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PairedComparisonTest {

  @Test
  void sharesMediansAndTheWilcoxonApproximationOfAWorkedCase() {
    // d = x − y = 1, 2, 3, 4, −5 (and one NaN pair, left out)
    double[] x = {11, 12, 13, 14, 5, Double.NaN};
    double[] y = {10, 10, 10, 10, 10, 0};
    PairedComparison c = PairedComparison.of(x, y);
    assertThat(c.n()).isEqualTo(5);
    assertThat(c.fractionGreater()).isEqualTo(0.8);
    assertThat(c.meanDifference()).isCloseTo(1.0, within(1e-12));
    assertThat(c.medianDifference()).isEqualTo(2.0);
    // ranks of |d|: 1..5, W+ = 1+2+3+4 = 10, W− = 5; commons-math3 reports max = 10
    assertThat(c.wilcoxonStatistic()).isEqualTo(10.0);
    // its normal approximation with continuity correction: z = (W− − n(n+1)/4 −
    // ½)/√(n(n+1)(2n+1)/24)
    double z = (5 - 7.5 - 0.5) / Math.sqrt(5 * 6 * 11 / 24.0);
    assertThat(c.pValue()).isCloseTo(2 * Normal.cdf(z), within(1e-6));
  }

  @Test
  void emptyOrSinglePairsHaveNoTest() {
    PairedComparison none = PairedComparison.of(new double[] {Double.NaN}, new double[] {1});
    assertThat(none.n()).isZero();
    assertThat(none.pValue()).isNaN();
    PairedComparison one = PairedComparison.of(new double[] {2}, new double[] {1});
    assertThat(one.fractionGreater()).isEqualTo(1.0);
    assertThat(one.pValue()).isNaN();
    assertThatThrownBy(() -> PairedComparison.of(new double[2], new double[3]))
        .hasMessageContaining("equal size");
  }
}

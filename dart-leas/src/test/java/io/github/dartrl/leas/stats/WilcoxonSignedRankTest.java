package io.github.dartrl.leas.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WilcoxonSignedRankTest {

  /**
   * Worked by hand. d = x − y = [1.5, −0.5, 2, 2, 0, 3, −1, 4]; the zero is dropped, n = 7. Ranks
   * of |d| = 0.5, 1, 1.5, 2, 2, 3, 4 are 1, 2, 3, 4.5, 4.5, 6, 7 (one tie of size 2). W⁺ = 3 + 4.5
   * + 4.5 + 6 + 7 = 25, W⁻ = 1 + 2 = 3. E[W⁺] = 7·8/4 = 14; Var = 7·8·15/24 − (2³ − 2)/48 = 35 −
   * 0.125 = 34.875; z = 11/√34.875 = 1.862669; p = 2(1 − Φ(z)) = 0.062509 (SciPy: wilcoxon(d,
   * zero_method="wilcox", correction=False, method="approx") gives statistic 3, p 0.0625089).
   */
  @Test
  void handComputedExampleWithTieAndZero() {
    double[] x = {2.5, 0.5, 3, 5, 1, 4, 0, 6};
    double[] y = {1, 1, 1, 3, 1, 1, 1, 2};
    WilcoxonSignedRank.Result r = WilcoxonSignedRank.test(x, y);
    assertThat(r.pairs()).isEqualTo(8);
    assertThat(r.zeros()).isEqualTo(1);
    assertThat(r.n()).isEqualTo(7);
    assertThat(r.wPlus()).isEqualTo(25.0);
    assertThat(r.wMinus()).isEqualTo(3.0);
    assertThat(r.z()).isCloseTo(11 / Math.sqrt(34.875), within(1e-12));
    assertThat(r.z()).isCloseTo(1.8626685, within(1e-6));
    assertThat(r.pValue()).isCloseTo(0.0625089, within(1e-6));
    assertThat(r.medianDifference()).isCloseTo(1.75, within(1e-12));
  }

  @Test
  void swappingTheSamplesFlipsTheSign() {
    double[] x = {0.3, 0.9, 0.1, 0.7, 0.5, 0.8};
    double[] y = {0.2, 0.4, 0.6, 0.1, 0.3, 0.0};
    WilcoxonSignedRank.Result a = WilcoxonSignedRank.test(x, y);
    WilcoxonSignedRank.Result b = WilcoxonSignedRank.test(y, x);
    assertThat(b.z()).isCloseTo(-a.z(), within(1e-12));
    assertThat(b.pValue()).isCloseTo(a.pValue(), within(1e-12));
    assertThat(a.wPlus()).isEqualTo(b.wMinus());
  }

  @Test
  void noTiesMatchesTheTextbookVariance() {
    // d = 1..10, all positive: W+ = 55, E = 27.5, Var = 10·11·21/24 = 96.25
    double[] x = new double[10];
    double[] y = new double[10];
    for (int i = 0; i < 10; i++) {
      x[i] = i + 1;
    }
    WilcoxonSignedRank.Result r = WilcoxonSignedRank.test(x, y);
    assertThat(r.wPlus()).isEqualTo(55.0);
    assertThat(r.z()).isCloseTo(27.5 / Math.sqrt(96.25), within(1e-12));
    assertThat(r.pValue()).isCloseTo(0.0050620, within(1e-6)); // SciPy approx
  }

  @Test
  void allZeroDifferencesGiveNoTest() {
    WilcoxonSignedRank.Result r = WilcoxonSignedRank.test(new double[] {1, 2}, new double[] {1, 2});
    assertThat(r.n()).isZero();
    assertThat(r.zeros()).isEqualTo(2);
    assertThat(r.pValue()).isNaN();
  }

  @Test
  void unequalSamplesAreRejected() {
    assertThatThrownBy(() -> WilcoxonSignedRank.test(new double[] {1}, new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("equal size");
  }
}

package io.github.dartrl.leas.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The exact two-sided sign test against cases computed by hand. */
class SignComparisonTest {

  @Test
  void matchesHandComputedBinomialTails() {
    // 0 of 3 negative: both tails {0, 3} have probability 1/8 each
    assertThat(SignComparison.of(0, 3).pValue()).isCloseTo(0.25, within(1e-12));
    // 1 of 4: P(X <= 1) = 5/16, doubled
    assertThat(SignComparison.of(1, 4 - 1).pValue()).isCloseTo(10.0 / 16, within(1e-12));
    // 0 of 10: 2 / 1024
    assertThat(SignComparison.of(0, 10).pValue()).isCloseTo(2.0 / 1024, within(1e-12));
    assertThat(SignComparison.of(10, 0).pValue()).isCloseTo(2.0 / 1024, within(1e-12));
    // an even split is as likely as it gets
    assertThat(SignComparison.of(5, 5).pValue()).isEqualTo(1.0);
    assertThat(SignComparison.of(11, 13).negativeShare()).isCloseTo(11.0 / 24, within(1e-12));
  }

  @Test
  void noNonZeroValueHasNoPValue() {
    SignComparison t = SignComparison.of(0, 0);
    assertThat(t.pValue()).isNaN();
    assertThat(t.negativeShare()).isNaN();
    assertThatThrownBy(() -> new SignComparison(-1, 2, 0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("counts must be >= 0");
  }
}

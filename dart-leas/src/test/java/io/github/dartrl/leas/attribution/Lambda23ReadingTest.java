package io.github.dartrl.leas.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Lambda23ReadingTest {

  @Test
  void theRuleOfEveryReport() {
    // CI above the null's mean and p < 0.05
    assertThat(Lambda23Reading.of(0.45, 0.70, 0.40, 0.01)).isEqualTo(Lambda23Reading.DETECTED);
    // CI above, but p not small enough: not detected
    assertThat(Lambda23Reading.of(0.45, 0.70, 0.40, 0.05)).isEqualTo(Lambda23Reading.CONSISTENT);
    // p small but the CI touches the mean
    assertThat(Lambda23Reading.of(0.40, 0.70, 0.40, 0.001)).isEqualTo(Lambda23Reading.CONSISTENT);
    // CI wholly under the mean
    assertThat(Lambda23Reading.of(0.10, 0.30, 0.40, 1.0)).isEqualTo(Lambda23Reading.BELOW_NULL);
    assertThat(Lambda23Reading.of(0.30, 0.50, 0.40, 0.3)).isEqualTo(Lambda23Reading.CONSISTENT);
    assertThat(Lambda23Reading.BELOW_NULL.label()).isEqualTo("below the null");
  }
}

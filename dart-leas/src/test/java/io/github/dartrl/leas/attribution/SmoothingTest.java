package io.github.dartrl.leas.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SmoothingTest {

  @Test
  void addHalfIsFiniteAndSymmetricAtTheEnds() {
    Smoothing s = Smoothing.ADD_HALF;
    assertThat(s.estimate(0, 50)).isCloseTo(0.5 / 51, within(1e-15));
    assertThat(s.estimate(50, 50)).isCloseTo(50.5 / 51, within(1e-15));
    assertThat(s.logit(0, 50)).isCloseTo(Math.log(0.5 / 50.5), within(1e-12)).isFinite();
    assertThat(s.logit(50, 50)).isCloseTo(-s.logit(0, 50), within(1e-12));
    assertThat(s.logit(25, 50)).isCloseTo(0, within(1e-15));
    assertThat(s.logit(0, 1)).isCloseTo(Math.log(1.0 / 3), within(1e-12));
  }

  @Test
  void clipKeepsInteriorValuesAndClipsTheEnds() {
    Smoothing s = Smoothing.CLIP;
    assertThat(s.estimate(10, 50)).isEqualTo(0.2);
    assertThat(s.estimate(0, 50)).isEqualTo(0.01);
    assertThat(s.estimate(50, 50)).isEqualTo(0.99);
    assertThat(s.logit(0, 50)).isFinite();
    assertThat(s.logit(50, 50)).isCloseTo(-s.logit(0, 50), within(1e-12));
  }

  @Test
  void rejectsImpossibleCounts() {
    assertThatThrownBy(() -> Smoothing.ADD_HALF.logit(3, 2)).hasMessageContaining("k=3 N=2");
    assertThatThrownBy(() -> Smoothing.CLIP.logit(0, 0)).hasMessageContaining("N >= 1");
  }
}

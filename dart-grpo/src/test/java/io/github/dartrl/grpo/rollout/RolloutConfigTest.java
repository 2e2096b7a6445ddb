package io.github.dartrl.grpo.rollout;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RolloutConfigTest {

  private static RolloutConfig with(
      int turnTokens, int obsTokens, double temperature, double topP) {
    RolloutConfig r = RolloutConfig.searchR1();
    return new RolloutConfig(
        r.maxTurns(),
        turnTokens,
        obsTokens,
        r.topK(),
        temperature,
        topP,
        r.search(),
        r.answer(),
        r.invalidActionMessage());
  }

  @Test
  void eachOutOfRangeValueIsNamedWithWhatWasFound() {
    assertThatThrownBy(() -> with(0, 500, 1.0, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTurnTokens must be > 0, got 0");
    assertThatThrownBy(() -> with(500, -1, 1.0, 1.0))
        .hasMessage("maxObservationTokens must be > 0, got -1");
    assertThatThrownBy(() -> with(500, 500, Double.NaN, 1.0))
        .hasMessage("temperature must be finite and >= 0 (0 = greedy), got NaN");
    assertThatThrownBy(() -> with(500, 500, 1.0, 1.5))
        .hasMessage("topP must be in (0, 1], got 1.5");
  }
}

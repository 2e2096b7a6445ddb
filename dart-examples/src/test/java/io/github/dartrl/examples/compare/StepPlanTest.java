package io.github.dartrl.examples.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StepPlanTest {

  @Test
  void aBudgetScalesTheStepsDownUniformly() {
    // 1000 s left, 100 s fixed, (2 + 4 + 3 + 1) s per step per seed × 2 seeds = 20 s per step
    StepPlan p =
        StepPlan.fit(
            60,
            1000,
            100,
            Map.of(
                CompareMethod.DART, 2.0,
                CompareMethod.LORA, 4.0,
                CompareMethod.FULL, 3.0,
                CompareMethod.TWO_AGENT, 1.0),
            2);
    assertThat(p.steps()).isEqualTo(45);
    assertThat(p.requested()).isEqualTo(60);
    assertThat(p.explanation()).contains("45 of the requested 60");
  }

  @Test
  void theRequestedStepsAreNeverExceededAndAtLeastOneRuns() {
    assertThat(StepPlan.fit(10, 1e6, 0, Map.of(CompareMethod.DART, 1.0), 1).steps()).isEqualTo(10);
    StepPlan none = StepPlan.fit(10, 50, 100, Map.of(CompareMethod.DART, 1.0), 1);
    assertThat(none.steps()).isEqualTo(1);
    assertThat(none.explanation()).contains("not even 1 step fits");
    assertThat(StepPlan.unlimited(7).steps()).isEqualTo(7);
    assertThatThrownBy(() -> new StepPlan(0, 5, "x")).hasMessageContaining("steps must be in");
  }

  @Test
  void spreadIsTheSampleStandardDeviation() {
    SeedSpread s = SeedSpread.of(0.2, 0.4);
    assertThat(s.mean()).isCloseTo(0.3, within(1e-12));
    assertThat(s.std()).isCloseTo(Math.sqrt(0.02), within(1e-12)); // n − 1 = 1
    assertThat(s.min()).isEqualTo(0.2);
    assertThat(s.max()).isEqualTo(0.4);
    assertThat(s.format()).isEqualTo("0.300 ± 0.141");
    assertThat(SeedSpread.of(0.25).format()).isEqualTo("0.250");
    assertThat(SeedSpread.of(0.25).std()).isNaN();
  }

  @Test
  void fullFineTuningUsesTheLowerLearningRateAndLoraTwiceDartsRank() {
    assertThat(CompareMethod.FULL.learningRate(1e-5, 0.1)).isCloseTo(1e-6, within(1e-18));
    assertThat(CompareMethod.TWO_AGENT.learningRate(1e-5, 0.1)).isCloseTo(1e-6, within(1e-18));
    assertThat(CompareMethod.DART.learningRate(1e-5, 0.1)).isEqualTo(1e-5);
    var dart = io.github.dartrl.core.policy.PolicyConfig.dart();
    assertThat(CompareMethod.LORA.policy(dart).rank()).isEqualTo(2 * dart.rank());
    assertThat(CompareMethod.LORA.policy(dart).alpha()).isEqualTo(2 * dart.alpha());
    assertThat(CompareMethod.FULL.policy(dart).method().trainsBackbone()).isTrue();
  }
}

package io.github.dartrl.grpo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.optim.LrSchedule;
import io.github.dartrl.core.policy.Isolation;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.grpo.loss.GrpoLoss;
import io.github.dartrl.grpo.loss.KlEstimator;
import io.github.dartrl.grpo.loss.LossAggregation;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What one GRPO update reports: the policy loss of STRICT isolation equals the unisolated one under
 * every aggregation mode, and the loss diagnostics are means over the mini-batch updates, not sums.
 */
class UpdateStatsTest extends TinyRunBase {
  static List<Trajectory> rollouts;

  // below float32 resolution of the weights: several updates run, nothing moves
  static final LrSchedule FROZEN = LrSchedule.constant(1e-30, 0, 100);

  @BeforeAll
  static void setUp() {
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok)) {
      RolloutEngine e =
          new RolloutEngine(
              p,
              tok,
              new TinyRun.ScriptedRetriever(),
              TinyRun.SHORT,
              TinyRun.config().build().rollout());
      rollouts = e.rollout(List.of("who is the capital", "the city of france"), 8, 9);
    }
  }

  static UpdateStats update(Isolation isolation, GrpoConfig cfg, List<Trajectory> ts, float[] adv) {
    try (Policy p = Policy.create(model, PolicyConfig.dart().withIsolation(isolation), tok);
        NDManager m = model.newScope();
        AdamW opt = new AdamW(AdamW.Config.defaults(), p.trainableParameters(), m);
        Gradients g = new Gradients(p.trainableParameters(), m)) {
      return new GrpoUpdate(p, cfg, opt, g, FROZEN, null, 0, cfg.trainRoles()).apply(ts, adv, 1);
    }
  }

  static float[] advantages(int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) Math.sin(1.7 * i + 0.3); // varied, both signs
    }
    return a;
  }

  @ParameterizedTest
  @EnumSource(LossAggregation.class)
  void strictIsolationReportsTheUnisolatedPolicyLoss(LossAggregation aggregation) {
    // rows with both reasoning and tool tokens are what an isolated pass divides wrongly
    long mixed =
        rollouts.stream()
            .filter(t -> has(t, TokenRole.TOOL) && has(t, TokenRole.REASONING))
            .count();
    assertThat(mixed).as("rollouts with both roles").isGreaterThanOrEqualTo(2);
    GrpoConfig cfg =
        TinyRun.config()
            .loss(new GrpoLoss.Config(0.2, 0.2, 0, KlEstimator.K3, 0, 0, aggregation, 16))
            .microBatchSize(4)
            .build();
    float[] adv = advantages(rollouts.size());
    UpdateStats shared = update(Isolation.SHARED, cfg, rollouts, adv);
    UpdateStats strict = update(Isolation.STRICT, cfg, rollouts, adv);
    assertThat(shared.policyLoss()).isNotZero();
    assertThat(strict.policyLoss()).isCloseTo(shared.policyLoss(), within(1e-5));
    assertThat(strict.trainedTokens()).isEqualTo(shared.trainedTokens());
  }

  @Test
  void lossDiagnosticsAreMeansOverMiniBatchUpdates() {
    GrpoConfig.Builder base =
        TinyRun.config()
            .loss(
                new GrpoLoss.Config(
                    0.2, 0.2, 0, KlEstimator.K3, 0.5, 0, LossAggregation.TOKEN_MEAN, 16))
            .logEntropy(true)
            .microBatchSize(4);
    float[] same = new float[rollouts.size()];
    java.util.Arrays.fill(same, 0.75f); // every mini-batch's token-mean loss is then -0.75
    // the adapters differ from the reference, so the KL is not 0
    UpdateStats one =
        update(Isolation.SHARED, base.ppoEpochs(1).miniBatches(1).build(), rollouts, same);
    UpdateStats many =
        update(Isolation.SHARED, base.ppoEpochs(2).miniBatches(2).build(), rollouts, same);
    assertThat(many.optimizerSteps()).isEqualTo(4);
    assertThat(one.policyLoss()).isCloseTo(-0.75, within(1e-5));
    assertThat(many.policyLoss()).isCloseTo(-0.75, within(1e-5)); // the sum would be -3.0
    assertThat(many.kl()).isCloseTo(one.kl(), within(1e-6));
    assertThat(many.entropy()).isCloseTo(one.entropy(), within(1e-5));
    assertThat(many.clipFraction()).isCloseTo(one.clipFraction(), within(1e-9));
    assertThat(many.meanRatio()).isCloseTo(one.meanRatio(), within(1e-6));
    assertThat(many.trainedTokens()).isEqualTo(one.trainedTokens());
  }

  private static boolean has(Trajectory t, TokenRole role) {
    for (int p = t.promptLength(); p < t.roles().length; p++) {
      if (t.roles()[p] == role.code()) {
        return true;
      }
    }
    return false;
  }
}

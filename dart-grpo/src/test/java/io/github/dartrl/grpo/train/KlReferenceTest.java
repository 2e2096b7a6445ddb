package io.github.dartrl.grpo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.HfNames;
import io.github.dartrl.core.model.OwnedArrays;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.optim.LrSchedule;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The KL term is measured against the right reference: the backbone with adapters off (DART, LORA)
 * or a frozen copy of the initial backbone (FULL). If the reference kept the adapters on, or were
 * the trained model itself, the KL would stay 0 whatever the updates did and no other test would
 * notice. So: KL is exactly 0 while the policy equals the backbone (B = 0, or FULL before any
 * update), strictly positive after updates, and equal to the k3 estimate computed here against an
 * independently loaded copy of the backbone; the reference's log-probs are that copy's.
 */
class KlReferenceTest extends TinyRunBase {
  /**
   * A reward that differs between samples from the first step on (the untrained model never says
   * "paris"), so that step 1 has non-zero advantages and moves the policy.
   */
  static final RewardFunction LENGTH =
      in -> new RewardResult(in.response().length() % 7 / 7.0, false, null, Map.of());

  /** A fresh copy of the backbone (FULL trains it in place), sharpened as in TrainerTest. */
  static DecoderModel loadBackbone() {
    DecoderModel m = HfCheckpoint.load(modelDir, root);
    try (GradMode off = GradMode.disabled()) {
      m.parameters().get(HfNames.EMBED).muli(10f);
    }
    return m;
  }

  static PolicyConfig policyConfig(Method method) {
    return PolicyConfig.of(method, 4);
  }

  static GrpoConfig.Builder config() {
    return TinyRun.config().ppoEpochs(1).miniBatches(1).microBatchSize(16).learningRate(2e-2);
  }

  static SequenceBatch batchOf(List<Trajectory> ts) {
    return new SequenceBatch(
        ts.stream().map(Trajectory::tokens).toList(),
        ts.stream().map(Trajectory::roles).toList(),
        0);
  }

  /** Log-probs {@code [B*L]} of a model without adapters (no routing: every position plain W). */
  static float[] bareLogProbs(DecoderModel m, SequenceBatch batch, float temperature) {
    try (GradMode off = GradMode.disabled();
        NDManager scope = m.newScope()) {
      NDArray h = m.hidden(scope, batch.tokens(), null, null);
      NDArray targets =
          OwnedArrays.of(scope, batch.targets(), new Shape(batch.batch(), batch.length()));
      return m.logProbs(h, targets, temperature).toFloatArray();
    }
  }

  static float[] policyLogProbs(Policy p, SequenceBatch batch, float temperature) {
    try (GradMode off = GradMode.disabled();
        NDManager scope = p.model().newScope()) {
      return p.logProbs(scope, batch, temperature).toFloatArray();
    }
  }

  /** verl's low_var_kl (k3) averaged over the trained tokens, in double. */
  static double k3Mean(float[] lp, float[] ref, float[] mask) {
    double sum = 0;
    double n = 0;
    for (int i = 0; i < lp.length; i++) {
      if (mask[i] > 0) {
        double x = Math.max(-20, Math.min(20, (double) ref[i] - lp[i]));
        sum += Math.max(-10, Math.min(10, Math.exp(x) - x - 1));
        n++;
      }
    }
    return sum / n;
  }

  static double maxAbsDiff(float[] a, float[] b, float[] mask) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      if (mask[i] > 0) {
        d = Math.max(d, Math.abs(a[i] - b[i]));
      }
    }
    return d;
  }

  @ParameterizedTest
  @EnumSource(
      value = Method.class,
      names = {"DART", "LORA", "FULL"})
  void klIsZeroAtTheStartPositiveAfterUpdatesAndMeasuredAgainstTheBackbone(Method method) {
    try (DecoderModel model = loadBackbone();
        DecoderModel independent = loadBackbone();
        DecoderModel frozen = method.trainsBackbone() ? loadBackbone() : null;
        Policy p = Policy.create(model, policyConfig(method), tok);
        NDManager m = model.newScope();
        AdamW opt = new AdamW(AdamW.Config.defaults(), p.trainableParameters(), m);
        Gradients g = new Gradients(p.trainableParameters(), m)) {
      GrpoConfig cfg = config().build();
      assertThat(cfg.loss().klCoef()).isPositive();
      float temperature = (float) Math.max(cfg.rollout().temperature(), 1e-6);
      GrpoUpdate u =
          new GrpoUpdate(
              p, cfg, opt, g, LrSchedule.constant(2e-2, 0, 10), frozen, 0, cfg.trainRoles());
      RolloutEngine e =
          new RolloutEngine(p, tok, new TinyRun.ScriptedRetriever(), TinyRun.SHORT, cfg.rollout());
      List<Trajectory> ts = e.rollout(List.of("who is the capital", "the city of france"), 8, 3);
      float[] adv = new float[ts.size()];
      for (int i = 0; i < adv.length; i++) {
        adv[i] = i % 2 == 0 ? 1f : -1f;
      }
      SequenceBatch batch = batchOf(ts);
      float[] mask = batch.lossMask(cfg.trainRoles());
      float[] backbone = bareLogProbs(independent, batch, temperature);

      // before any update the policy is the backbone (B = 0, or FULL untouched): KL exactly 0
      UpdateStats first = u.apply(ts, adv, 1);
      assertThat(first.optimizerSteps()).isEqualTo(1);
      // (exactly 0 with adapters at B = 0; FULL compares two copies of the same weights, which MKL
      // may reduce in another order, so allow rounding-level k3 values)
      assertThat(first.kl()).as("KL while the policy equals the reference").isLessThan(1e-10);

      // after the update: the policy moved away, the reference did not
      float[] now = policyLogProbs(p, batch, temperature);
      assertThat(maxAbsDiff(now, backbone, mask))
          .as("the update changed the policy")
          .isGreaterThan(1e-3);
      float[] reference =
          frozen != null
              ? bareLogProbs(frozen, batch, temperature)
              : referenceOf(p, batch, temperature);
      assertThat(maxAbsDiff(reference, backbone, mask))
          .as("reference log-probs = the bare backbone's")
          .isLessThan(1e-6);
      double expected = k3Mean(now, backbone, mask);
      assertThat(expected).isGreaterThan(1e-5);
      UpdateStats second = u.apply(ts, adv, 2);
      assertThat(second.kl())
          .as("KL the update measured vs k3 against an independent backbone")
          .isCloseTo(expected, within(1e-3 * expected + 1e-7));
      if (method.trainsBackbone()) {
        // training never touched the FULL reference copy
        assertThat(maxAbsDiff(bareLogProbs(frozen, batch, temperature), backbone, mask))
            .isLessThan(1e-6);
      }
    }
  }

  private static float[] referenceOf(Policy p, SequenceBatch batch, float temperature) {
    try (AutoCloseable off = p.reference()) {
      return policyLogProbs(p, batch, temperature);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Through the Trainer, which builds the FULL reference itself: the first step's KL is 0 (one
   * update per step, measured before it), the second step's is positive. A reference that shared
   * the trained weights (or kept adapters on) would report 0 at every step.
   */
  @ParameterizedTest
  @EnumSource(
      value = Method.class,
      names = {"DART", "LORA", "FULL"})
  void trainerReportsZeroThenPositiveKl(Method method, @TempDir Path run) {
    try (DecoderModel model = loadBackbone();
        Policy p = Policy.create(model, policyConfig(method), tok)) {
      GrpoConfig cfg = config().totalSteps(2).checkpointEvery(0).build();
      List<StepMetrics> steps = new ArrayList<>();
      Trainer t =
          TinyRun.trainer(p, tok, cfg, run, new TinyRun.ScriptedRetriever())
              .reward(LENGTH)
              .listener(
                  new TrainerListener() {
                    @Override
                    public void onStep(StepMetrics metrics) {
                      steps.add(metrics);
                    }
                  })
              .build();
      t.fit();
      assertThat(steps).hasSize(2);
      assertThat(steps.get(0).value("actor/grad_norm")).as("step 1 updated").isPositive();
      assertThat(steps.get(0).value("actor/kl")).as("step 1 KL").isLessThan(1e-10);
      assertThat(steps.get(1).value("actor/kl")).as("step 2 KL").isGreaterThan(1e-6);
    }
  }
}

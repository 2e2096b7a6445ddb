package io.github.dartrl.grpo.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GrpoLossTest {
  NDManager m;

  @BeforeEach
  void open() {
    m = NDManager.newBaseManager("PyTorch");
  }

  @AfterEach
  void close() {
    m.close();
  }

  NDArray row(float... x) {
    return m.create(x, new Shape(1, x.length));
  }

  GrpoLoss.Inputs inputs(NDArray lp, float adv, NDArray mask, NDArray ref) {
    return new GrpoLoss.Inputs(
        lp,
        row(-1.0f, -2.5f, -0.2f),
        ref,
        null,
        m.create(new float[] {adv}, new Shape(1, 1)),
        mask,
        mask.sum().getFloat(),
        1);
  }

  static GrpoLoss loss(KlEstimator kl, double klCoef, double dual, LossAggregation agg) {
    return new GrpoLoss(new GrpoLoss.Config(0.2, 0.2, dual, kl, klCoef, 0, agg, 4));
  }

  @Test
  void hand_computedPositiveAdvantageWithClipAndK3() {
    NDArray lp = row(-1.0f, -2.0f, -0.5f);
    NDArray ref = row(-1.2f, -2.0f, -0.4f);
    GrpoLoss.Result r =
        loss(KlEstimator.K3, 0.001, 0, LossAggregation.TOKEN_MEAN)
            .compute(inputs(lp, 2f, row(1, 1, 0), ref));
    // ratios [1, e^0.5]; clipped term [-2, -2.4] wins at token 1; the masked token 2 is ignored
    assertThat(r.policyLoss()).isCloseTo(-2.2, within(1e-6));
    assertThat(r.clipFraction()).isCloseTo(0.5, within(1e-9));
    double k3 = Math.exp(-0.2) + 0.2 - 1;
    assertThat(r.kl()).isCloseTo(k3 / 2, within(1e-6));
    assertThat((double) r.loss().getFloat()).isCloseTo(-2.2 + 0.001 * k3 / 2, within(1e-6));
    assertThat(r.meanRatio()).isCloseTo((1 + Math.exp(0.5)) / 2, within(1e-6));
    assertThat(r.tokens()).isEqualTo(2);
  }

  @Test
  void negativeAdvantageAndDualClip() {
    NDArray lp = row(-1.0f, -2.0f, -0.5f);
    GrpoLoss.Result plain =
        loss(KlEstimator.K1, 0, 0, LossAggregation.TOKEN_MEAN)
            .compute(inputs(lp, -1f, row(1, 1, 1), null));
    // A<0: pg = max(ρ, clip(ρ)) = [1, e^0.5, 0.8] (token 2: clip(0.7408)=0.8 > 0.7408)
    assertThat(plain.policyLoss()).isCloseTo((1 + Math.exp(0.5) + 0.8) / 3, within(1e-6));
    assertThat(plain.clipFraction()).isCloseTo(1 / 3.0, within(1e-9));
    GrpoLoss.Result dual =
        loss(KlEstimator.K1, 0, 1.5, LossAggregation.TOKEN_MEAN)
            .compute(inputs(lp, -1f, row(1, 1, 1), null));
    // dual clip caps each token's loss at -A c = 1.5
    assertThat(dual.policyLoss()).isCloseTo((1 + 1.5 + 0.8) / 3, within(1e-6));
  }

  @Test
  void klEstimatorsMatchTheirFormulas() {
    NDArray lp = row(-1.0f, -2.0f);
    NDArray ref = row(-1.5f, -1.0f);
    float[] k1 = KlEstimator.K1.apply(lp, ref).toFloatArray();
    float[] k2 = KlEstimator.K2.apply(lp, ref).toFloatArray();
    float[] k3 = KlEstimator.K3.apply(lp, ref).toFloatArray();
    assertThat(k1).containsExactly(new float[] {0.5f, -1f}, within(1e-6f));
    assertThat(k2).containsExactly(new float[] {0.125f, 0.5f}, within(1e-6f));
    assertThat(k3)
        .containsExactly(
            new float[] {(float) (Math.exp(-0.5) + 0.5 - 1), (float) (Math.exp(1) - 1 - 1)},
            within(1e-6f));
    // k3 clamps at 10
    assertThat(KlEstimator.K3.apply(row(-30f), row(0f)).getFloat()).isEqualTo(10f);
  }

  @Test
  void aggregationModes() {
    // two rows: row 0 has 2 trained tokens with loss -A*1, row 1 has 1 trained token; A = 1,
    // on-policy
    NDArray lp = m.create(new float[] {-1, -1, -1, -1}, new Shape(2, 2));
    NDArray mask = m.create(new float[] {1, 1, 1, 0}, new Shape(2, 2));
    NDArray adv = m.create(new float[] {1, 3}, new Shape(2, 1));
    GrpoLoss.Inputs in = new GrpoLoss.Inputs(lp, lp.duplicate(), null, null, adv, mask, 3, 2);
    double tokenMean =
        loss(KlEstimator.K1, 0, 0, LossAggregation.TOKEN_MEAN).compute(in).policyLoss();
    double seqMean =
        loss(KlEstimator.K1, 0, 0, LossAggregation.SEQ_MEAN_TOKEN_MEAN).compute(in).policyLoss();
    double sumNorm =
        loss(KlEstimator.K1, 0, 0, LossAggregation.SEQ_MEAN_TOKEN_SUM_NORM)
            .compute(in)
            .policyLoss();
    assertThat(tokenMean).isCloseTo(-(1 + 1 + 3) / 3.0, within(1e-6));
    assertThat(seqMean).isCloseTo(-(1 + 3) / 2.0, within(1e-6));
    assertThat(sumNorm).isCloseTo(-(1 + 1 + 3) / (2 * 4.0), within(1e-6));
  }

  @Test
  void onPolicyRatioIsExactlyOneAndGradientIsMinusAdvantageOverTokens() {
    NDArray lp = row(-1.0f, -2.0f, -0.5f);
    lp.setRequiresGradient(true);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      GrpoLoss.Inputs in =
          new GrpoLoss.Inputs(
              lp,
              lp.stopGradient().duplicate(),
              null,
              null,
              m.create(new float[] {0.7f}, new Shape(1, 1)),
              row(1, 0, 1),
              2,
              1);
      GrpoLoss.Result r = loss(KlEstimator.K3, 0, 0, LossAggregation.TOKEN_MEAN).compute(in);
      assertThat(r.meanRatio()).isEqualTo(1.0);
      assertThat(r.clipFraction()).isZero();
      assertThat(r.maxAbsLogRatio()).isZero();
      gc.backward(r.loss());
    }
    assertThat(lp.getGradient().toFloatArray())
        .containsExactly(new float[] {-0.35f, 0f, -0.35f}, within(1e-6f));
  }

  /**
   * Off-policy, with ratios on both sides of [1 - ε_low, 1 + ε_high] (asymmetric, so swapped bounds
   * show) for a positive and a negative advantage, and dual clip c = 3: each token's loss and
   * gradient against a hand computation. Clipped tokens (A &gt; 0 above 1 + ε_high, A &lt; 0 below
   * 1 - ε_low, A &lt; 0 above c) get exactly zero policy gradient; the others get -A ρ / N. With a
   * k3 KL term every trained token also gets β (1 - π_ref / π_θ) / N.
   */
  @Test
  void offPolicyClippedTokensGetNoGradientAndOthersMatchTheHandComputation() {
    double[] rho = {0.5, 0.9, 1.0, 1.1, 1.5, 4.0, 0.3}; // last column is masked out
    double[] advantage = {2.0, -1.5};
    double epsLow = 0.2;
    double epsHigh = 0.28;
    double dual = 3;
    double beta = 0.1;
    int cols = rho.length;
    float[] old = new float[2 * cols];
    float[] lp = new float[2 * cols];
    float[] mask = new float[2 * cols];
    for (int r = 0; r < 2; r++) {
      for (int j = 0; j < cols; j++) {
        old[r * cols + j] = -1.0f - 0.25f * j - r;
        lp[r * cols + j] = (float) (old[r * cols + j] + Math.log(rho[j]));
        mask[r * cols + j] = j < cols - 1 ? 1 : 0;
      }
    }
    int n = 12;
    // hand computation, token by token: the PPO-clip term with dual clip
    double[] pg = new double[2 * cols];
    double[] pgGrad = new double[2 * cols];
    int clipped = 0;
    for (int r = 0; r < 2; r++) {
      double a = advantage[r];
      for (int j = 0; j < cols - 1; j++) {
        double p = rho[j];
        boolean low = p < 1 - epsLow;
        boolean high = p > 1 + epsHigh;
        double value;
        double grad;
        if (a > 0 && high) { // clipped at 1 + ε_high: constant
          value = -a * (1 + epsHigh);
          grad = 0;
          clipped++;
        } else if (a < 0 && low) { // clipped at 1 - ε_low: constant
          value = -a * (1 - epsLow);
          grad = 0;
          clipped++;
        } else if (a < 0 && p > dual) { // dual clip: constant -A c
          value = -a * dual;
          grad = 0;
        } else {
          value = -a * p;
          grad = -a * p; // d(-A ρ)/d log π = -A ρ
        }
        pg[r * cols + j] = value;
        pgGrad[r * cols + j] = grad;
      }
    }
    assertThat(clipped).as("cases covered").isEqualTo(3);
    double pgSum = java.util.Arrays.stream(pg).sum();
    assertThat(pgSum / n).isCloseTo((-12.12 + 12.45) / 12, within(1e-12));

    for (boolean withKl : new boolean[] {false, true}) {
      NDArray lpArr = m.create(lp, new Shape(2, cols));
      lpArr.setRequiresGradient(true);
      GrpoLoss lossFn =
          new GrpoLoss(
              new GrpoLoss.Config(
                  epsLow,
                  epsHigh,
                  dual,
                  KlEstimator.K3,
                  withKl ? beta : 0,
                  0,
                  LossAggregation.TOKEN_MEAN,
                  4));
      GrpoLoss.Result r;
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        r =
            lossFn.compute(
                new GrpoLoss.Inputs(
                    lpArr,
                    m.create(old, new Shape(2, cols)),
                    withKl ? m.create(old, new Shape(2, cols)) : null,
                    null,
                    m.create(
                        new float[] {(float) advantage[0], (float) advantage[1]}, new Shape(2, 1)),
                    m.create(mask, new Shape(2, cols)),
                    n,
                    2));
        gc.backward(r.loss());
      }
      double klSum = 0;
      double[] want = new double[2 * cols];
      for (int i = 0; i < want.length; i++) {
        if (mask[i] == 0) {
          continue;
        }
        double p = rho[i % cols];
        double x = -Math.log(p); // log π_ref - log π_θ, with π_ref = π_old here
        klSum += Math.exp(x) - x - 1;
        want[i] = (pgGrad[i] + (withKl ? beta * (1 - 1 / p) : 0)) / n;
      }
      String label = withKl ? "with k3 KL" : "policy term only";
      assertThat(r.policyLoss()).as(label).isCloseTo(pgSum / n, within(1e-5));
      assertThat(r.clipFraction()).as(label).isCloseTo(3 / 12.0, within(1e-9));
      assertThat(r.tokens()).isEqualTo(n);
      assertThat((double) r.loss().getFloat())
          .as(label)
          .isCloseTo(pgSum / n + (withKl ? beta * klSum / n : 0), within(1e-5));
      float[] grad = lpArr.getGradient().toFloatArray();
      for (int i = 0; i < grad.length; i++) {
        assertThat((double) grad[i])
            .as("%s: d loss / d log π at row %d, ratio %s", label, i / cols, rho[i % cols])
            .isCloseTo(want[i], within(1e-6));
      }
    }
  }

  @Test
  void configValidation() {
    assertThatThrownBy(
            () ->
                new GrpoLoss.Config(
                    0, 0.2, 0, KlEstimator.K3, 0.001, 0, LossAggregation.TOKEN_MEAN, 1))
        .hasMessageContaining("clip");
    assertThatThrownBy(
            () ->
                new GrpoLoss.Config(
                    0.2, 0.2, 0.5, KlEstimator.K3, 0.001, 0, LossAggregation.TOKEN_MEAN, 1))
        .hasMessageContaining("dual clip");
    assertThatThrownBy(
            () ->
                new GrpoLoss.Config(
                    0.2, 0.2, 0, KlEstimator.K3, -1, 0, LossAggregation.TOKEN_MEAN, 1))
        .hasMessageContaining(">= 0");
    NDArray lp = row(-1f, -1f, -1f);
    assertThatThrownBy(
            () ->
                loss(KlEstimator.K3, 0.1, 0, LossAggregation.TOKEN_MEAN)
                    .compute(inputs(lp, 1f, row(1, 1, 1), null)))
        .hasMessageContaining("reference");
  }

  @Test
  void groupAdvantagesUseUnbiasedStdAndFlagZeroStdGroups() {
    GroupAdvantages a =
        GroupAdvantages.compute(
            new double[] {1, 0, 0, 1, 1, 1, 5}, new int[] {0, 0, 0, 0, 1, 1, 2}, true, 1e-6);
    double std = Math.sqrt((4 * 0.25) / 3);
    assertThat(a.advantages()[0]).isCloseTo((float) (0.5 / (std + 1e-6)), within(1e-6f));
    assertThat(a.advantages()[1]).isCloseTo((float) (-0.5 / (std + 1e-6)), within(1e-6f));
    assertThat(a.advantages()[4]).isZero();
    assertThat(a.advantages()[6]).isCloseTo(5f, within(1e-4f)); // group of one: mean 0, std 1
    assertThat(a.zeroStdGroupFraction()).isCloseTo(1 / 3.0, within(1e-9));
    GroupAdvantages noStd =
        GroupAdvantages.compute(new double[] {1, 0}, new int[] {0, 0}, false, 1e-6);
    assertThat(noStd.advantages()).containsExactly(0.5f, -0.5f);
  }
}

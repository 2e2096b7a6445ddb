package io.github.dartrl.grpo.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * STRICT isolation splits the trained mask by adapter and computes one loss per adapter: with the
 * sequence's token counts as denominators, the per-adapter losses sum to the unisolated loss under
 * every aggregation mode.
 */
class IsolatedAggregationTest {

  @Test
  void nineReasoningAndOneToolTokenWithLossOneGiveOne() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      float[] all = new float[10];
      java.util.Arrays.fill(all, 1f);
      float[] reasoning = all.clone();
      reasoning[9] = 0;
      float[] tool = new float[10];
      tool[9] = 1;
      GrpoLoss loss = lossOf(LossAggregation.SEQ_MEAN_TOKEN_MEAN);
      // advantage -1, on-policy: every token's loss is 1
      NDArray seq = m.create(new float[] {10f});
      double r = loss.compute(inputs(m, 1, 10, reasoning, new float[] {-1f}, seq)).policyLoss();
      double t = loss.compute(inputs(m, 1, 10, tool, new float[] {-1f}, seq)).policyLoss();
      double whole = loss.compute(inputs(m, 1, 10, all, new float[] {-1f}, null)).policyLoss();
      assertThat(whole).isCloseTo(1.0, within(1e-6));
      assertThat(r + t).isCloseTo(1.0, within(1e-6)); // each pass divided by its own count: 2.0
    }
  }

  @ParameterizedTest
  @EnumSource(LossAggregation.class)
  void perAdapterLossesSumToTheUnisolatedLoss(LossAggregation aggregation) {
    Random rng = new Random(aggregation.ordinal() + 1L);
    int b = 4;
    int l = 12;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      for (int trial = 0; trial < 20; trial++) {
        float[] reasoning = new float[b * l];
        float[] tool = new float[b * l];
        float[] all = new float[b * l];
        float[] seqTokens = new float[b];
        double tokens = 0;
        double seqs = 0;
        for (int r = 0; r < b; r++) {
          for (int j = 0; j < l; j++) {
            int kind = rng.nextInt(3); // not trained, reasoning, tool
            reasoning[r * l + j] = kind == 1 ? 1 : 0;
            tool[r * l + j] = kind == 2 ? 1 : 0;
            all[r * l + j] = kind > 0 ? 1 : 0;
            seqTokens[r] += kind > 0 ? 1 : 0;
          }
          tokens += seqTokens[r];
          seqs += seqTokens[r] > 0 ? 1 : 0;
        }
        float[] adv = new float[b];
        for (int r = 0; r < b; r++) {
          adv[r] = (float) rng.nextGaussian();
        }
        float[] lp = new float[b * l];
        float[] old = new float[b * l];
        for (int i = 0; i < lp.length; i++) {
          old[i] = (float) (-1 - rng.nextDouble());
          lp[i] = old[i] + (float) (0.3 * rng.nextGaussian()); // off-policy: some ratios clip
        }
        GrpoLoss loss = lossOf(aggregation);
        NDArray seq = m.create(seqTokens);
        double whole =
            loss.compute(inputs(m, b, l, lp, old, all, adv, tokens, seqs, null)).loss().getFloat();
        double split =
            loss.compute(inputs(m, b, l, lp, old, reasoning, adv, tokens, seqs, seq))
                    .loss()
                    .getFloat()
                + loss.compute(inputs(m, b, l, lp, old, tool, adv, tokens, seqs, seq))
                    .loss()
                    .getFloat();
        assertThat(split).as("trial %d", trial).isCloseTo(whole, within(1e-5));
      }
    }
  }

  private static GrpoLoss lossOf(LossAggregation aggregation) {
    return new GrpoLoss(new GrpoLoss.Config(0.2, 0.2, 0, KlEstimator.K3, 0, 0, aggregation, 8));
  }

  private static GrpoLoss.Inputs inputs(
      NDManager m, int b, int l, float[] mask, float[] adv, NDArray seqTokens) {
    float[] zeros = new float[b * l];
    // the denominators are the whole sequence's: 10 tokens, one sequence
    return inputs(m, b, l, zeros, zeros, mask, adv, 10, 1, seqTokens);
  }

  private static GrpoLoss.Inputs inputs(
      NDManager m,
      int b,
      int l,
      float[] lp,
      float[] old,
      float[] mask,
      float[] adv,
      double tokens,
      double seqs,
      NDArray seqTokens) {
    Shape shape = new Shape(b, l);
    return new GrpoLoss.Inputs(
        m.create(lp, shape),
        m.create(old, shape),
        null,
        null,
        m.create(adv, new Shape(b, 1)),
        m.create(mask, shape),
        tokens,
        seqs,
        seqTokens);
  }
}

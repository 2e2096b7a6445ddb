package io.github.dartrl.grpo.loss;

import ai.djl.ndarray.NDArray;
import io.github.dartrl.core.model.Scalars;

/**
 * The GRPO objective on one micro-batch of trajectories (all tensors {@code [B, L]}, column j
 * scoring the token at j+1):
 *
 * <pre>
 *   ρ     = exp(clamp(log π_θ − log π_old, −20, 20))
 *   pg    = max(−A ρ, −A clip(ρ, 1 − ε_low, 1 + ε_high))      (dual clip: min(pg, −A c) where A &lt; 0)
 *   loss  = agg(pg) − β_H agg(H) + β_KL agg(KL_est(log π_θ, log π_ref))
 * </pre>
 *
 * Only positions with mask 1 (sampled tokens of the trained roles) count; prompt and observation
 * tokens carry neither loss nor KL. Returns the differentiable loss with its diagnostics.
 */
public final class GrpoLoss {

  /**
   * @param clipLow ε_low
   * @param clipHigh ε_high
   * @param dualClip c &gt; 1 for dual-clip PPO, or 0 for off
   * @param kl estimator of the KL term
   * @param klCoef β_KL (0 = no KL term, no reference forward needed)
   * @param entropyCoef β_H (0 = no entropy bonus)
   * @param aggregation how token losses are combined
   * @param lengthNorm L of {@link LossAggregation#SEQ_MEAN_TOKEN_SUM_NORM}
   */
  public record Config(
      double clipLow,
      double clipHigh,
      double dualClip,
      KlEstimator kl,
      double klCoef,
      double entropyCoef,
      LossAggregation aggregation,
      double lengthNorm) {
    public Config {
      if (!(clipLow > 0 && clipLow < 1) || !(clipHigh > 0)) {
        throw new IllegalArgumentException(
            "clip ratios must satisfy 0 < clipLow < 1 and clipHigh > 0, got "
                + clipLow
                + ", "
                + clipHigh);
      }
      if (dualClip != 0 && !(dualClip > 1)) {
        throw new IllegalArgumentException(
            "dual clip c must be > 1 (or 0 for off), got " + dualClip);
      }
      if (!(klCoef >= 0) || !(entropyCoef >= 0)) {
        throw new IllegalArgumentException("KL and entropy coefficients must be >= 0");
      }
      if (!(lengthNorm > 0)) {
        throw new IllegalArgumentException("lengthNorm must be > 0");
      }
    }

    /** Paper/verl defaults: clip 0.2, k3 KL at 0.001, no entropy bonus, token-mean. */
    public static Config defaults() {
      return new Config(0.2, 0.2, 0, KlEstimator.K3, 0.001, 0, LossAggregation.TOKEN_MEAN, 512);
    }
  }

  /**
   * Inputs of one micro-batch.
   *
   * @param logProbs log π_θ, differentiable
   * @param oldLogProbs log π_old (constants)
   * @param refLogProbs log π_ref (constants), or null when klCoef is 0
   * @param entropy per-token entropy of π_θ, or null
   * @param advantages {@code [B, 1]}
   * @param mask 1 where the token is trained
   * @param totalTokens mask sum over the whole mini-batch
   * @param totalSequences sequences with at least one trained token in the mini-batch
   * @param sequenceTokens {@code [B]} trained tokens of each whole sequence, the per-sequence
   *     denominator of {@link LossAggregation#SEQ_MEAN_TOKEN_MEAN}; null means {@code mask}'s row
   *     sums. STRICT isolation passes it because its {@code mask} holds one adapter's tokens only:
   *     each pass must divide by the sequence's count, not its own, so that the per-adapter losses
   *     sum to the unisolated loss.
   */
  public record Inputs(
      NDArray logProbs,
      NDArray oldLogProbs,
      NDArray refLogProbs,
      NDArray entropy,
      NDArray advantages,
      NDArray mask,
      double totalTokens,
      double totalSequences,
      NDArray sequenceTokens) {

    /** Inputs whose mask covers every trained token of its sequences (no isolation). */
    public Inputs(
        NDArray logProbs,
        NDArray oldLogProbs,
        NDArray refLogProbs,
        NDArray entropy,
        NDArray advantages,
        NDArray mask,
        double totalTokens,
        double totalSequences) {
      this(
          logProbs,
          oldLogProbs,
          refLogProbs,
          entropy,
          advantages,
          mask,
          totalTokens,
          totalSequences,
          null);
    }
  }

  /**
   * @param loss the differentiable scalar to back-propagate
   * @param policyLoss agg(pg)
   * @param kl mean per-token KL estimate over trained tokens (0 if not computed)
   * @param entropy mean per-token entropy over trained tokens (NaN if not given)
   * @param clipFraction fraction of trained tokens where the clipped term is active
   * @param meanRatio mean ρ over trained tokens
   * @param maxAbsLogRatio max |log ρ| over trained tokens
   * @param tokens trained tokens in this micro-batch
   */
  public record Result(
      NDArray loss,
      double policyLoss,
      double kl,
      double entropy,
      double clipFraction,
      double meanRatio,
      double maxAbsLogRatio,
      double tokens) {}

  private final Config config;

  public GrpoLoss(Config config) {
    this.config = config;
  }

  public Config config() {
    return config;
  }

  public Result compute(Inputs in) {
    NDArray mask = in.mask();
    NDArray logRatio = in.logProbs().sub(in.oldLogProbs()).clip(-20f, 20f);
    NDArray ratio = logRatio.exp();
    NDArray adv = in.advantages();
    NDArray pg1 = ratio.mul(adv).neg();
    NDArray pg2 = ratio.clip(1 - config.clipLow(), 1 + config.clipHigh()).mul(adv).neg();
    NDArray pg = pg1.maximum(pg2);
    if (config.dualClip() > 0) {
      NDArray pg3 = Scalars.mul(adv, -config.dualClip());
      NDArray negative = adv.lt(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
      // where A < 0: min(pg, -A c); else pg
      pg = pg.minimum(pg3).mul(negative).add(pg.mul(Scalars.add(negative.neg(), 1)));
    }
    NDArray policyLoss = aggregate(pg, mask, in);
    NDArray loss = policyLoss;
    double klMean = 0;
    if (config.klCoef() > 0) {
      if (in.refLogProbs() == null) {
        throw new IllegalArgumentException("klCoef > 0 needs reference log-probs");
      }
      NDArray kl = config.kl().apply(in.logProbs(), in.refLogProbs());
      loss = loss.add(Scalars.mul(aggregate(kl, mask, in), config.klCoef()));
      klMean = maskedMean(kl, mask);
    }
    double entropyMean = Double.NaN;
    if (in.entropy() != null) {
      if (config.entropyCoef() > 0) {
        loss = loss.sub(Scalars.mul(aggregate(in.entropy(), mask, in), config.entropyCoef()));
      }
      entropyMean = maskedMean(in.entropy(), mask);
    }
    double tokens = mask.sum().getFloat();
    double clipped =
        tokens == 0
            ? 0
            : pg2.gt(pg1)
                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                    .mul(mask)
                    .sum()
                    .getFloat()
                / tokens;
    double meanRatio = maskedMean(ratio, mask);
    double maxLog = tokens == 0 ? 0 : logRatio.abs().mul(mask).max().getFloat();
    return new Result(
        loss, policyLoss.getFloat(), klMean, entropyMean, clipped, meanRatio, maxLog, tokens);
  }

  private NDArray aggregate(NDArray perToken, NDArray mask, Inputs in) {
    NDArray masked = perToken.mul(mask);
    return switch (config.aggregation()) {
      case TOKEN_MEAN -> Scalars.div(masked.sum(), Math.max(1.0, in.totalTokens()));
      case SEQ_MEAN_TOKEN_MEAN -> {
        NDArray counts =
            in.sequenceTokens() != null ? in.sequenceTokens() : mask.sum(new int[] {1}); // [B]
        NDArray perSeq = masked.sum(new int[] {1}).div(Scalars.add(counts, 1e-8f));
        yield Scalars.div(perSeq.sum(), Math.max(1.0, in.totalSequences()));
      }
      case SEQ_MEAN_TOKEN_SUM_NORM ->
          Scalars.div(masked.sum(), Math.max(1.0, in.totalSequences()) * config.lengthNorm());
    };
  }

  private static double maskedMean(NDArray x, NDArray mask) {
    double n = mask.sum().getFloat();
    return n == 0 ? 0 : x.mul(mask).sum().getFloat() / n;
  }
}

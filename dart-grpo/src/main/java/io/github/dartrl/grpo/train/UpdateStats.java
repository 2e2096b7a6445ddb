package io.github.dartrl.grpo.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Diagnostics of one GRPO update (all optimizer steps over one rollout batch: {@code ppoEpochs ×
 * miniBatches} mini-batch updates).
 *
 * @param policyLoss mean over the mini-batch updates of each one's aggregated policy loss (the
 *     value its gradient came from: the sum of its micro-batches' shares, and under STRICT
 *     isolation of its adapters' shares); an update skipped for a non-finite loss makes it NaN
 * @param kl per-token KL estimate, token-weighted mean over all mini-batch updates
 * @param entropy per-token entropy, token-weighted mean likewise (NaN if not computed)
 * @param clipFraction fraction of trained tokens whose clipped term was active, over all updates
 * @param meanRatio mean importance ratio, token-weighted over all updates
 * @param firstRatioMaxDeviation max |ρ − 1| on the first mini-batch (0 when on-policy and
 *     recomputed)
 * @param gradNorm mean pre-clip global gradient norm over optimizer steps
 * @param optimizerSteps updates applied
 * @param skippedSteps updates skipped because the loss or a gradient was not finite
 * @param sampledVsRecomputedMaxDiff max |log π_sample − log π_recomputed| (NaN if not recomputed)
 * @param trainedTokens tokens that carried loss (each counted once, not once per epoch)
 * @param learningRate rate of the last update
 */
public record UpdateStats(
    double policyLoss,
    double kl,
    double entropy,
    double clipFraction,
    double meanRatio,
    double firstRatioMaxDeviation,
    double gradNorm,
    int optimizerSteps,
    int skippedSteps,
    double sampledVsRecomputedMaxDiff,
    double trainedTokens,
    double learningRate) {

  /** The per-step metrics of this update, by name without the learner prefix, in logging order. */
  public Map<String, Double> asMetrics() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("pg_loss", policyLoss);
    m.put("kl", kl);
    m.put("entropy", entropy);
    m.put("pg_clipfrac", clipFraction);
    m.put("ratio_mean", meanRatio);
    m.put("first_ratio_max_dev", firstRatioMaxDeviation);
    m.put("grad_norm", gradNorm);
    m.put("lr", learningRate);
    m.put("skipped_updates", (double) skippedSteps);
    m.put("logprob_max_diff", sampledVsRecomputedMaxDiff);
    return m;
  }
}

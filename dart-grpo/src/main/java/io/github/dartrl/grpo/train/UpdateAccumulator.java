package io.github.dartrl.grpo.train;

import io.github.dartrl.grpo.loss.GrpoLoss;

/**
 * Sums of the loss diagnostics over every mini-batch update of every epoch. The policy loss of a
 * mini-batch is the sum of its micro-batches' (and, under STRICT isolation, its adapters') shares,
 * each already divided by the mini-batch's denominators; the reported value is the mean over
 * mini-batch updates. The per-token diagnostics (KL, entropy, clip fraction, ratio) are
 * token-weighted means over all of them, so a token seen in two epochs counts twice, as it was
 * trained twice.
 */
final class UpdateAccumulator {
  double tokens;
  double epochTokens; // tokens of the first epoch: each trained token once
  int epoch;
  int miniBatches;
  double pg;
  double kl;
  double entropy;
  double clip;
  double ratio;
  double firstDeviation;
  double gradNormSum;
  int steps;
  int skipped;
  double lr;
  int micro;

  void add(GrpoLoss.Result r, boolean first) {
    micro++;
    pg += r.policyLoss();
    kl += r.kl() * r.tokens();
    entropy += r.entropy() * r.tokens();
    clip += r.clipFraction() * r.tokens();
    ratio += r.meanRatio() * r.tokens();
    tokens += r.tokens();
    epochTokens += epoch == 0 ? r.tokens() : 0;
    if (first) {
      firstDeviation = Math.max(firstDeviation, Math.expm1(r.maxAbsLogRatio()));
    }
  }

  /** The sums a worker's share of a mini-batch adds ({@link #merge}). */
  double[] diagnostics() {
    return new double[] {pg, kl, entropy, clip, ratio, tokens, epochTokens, firstDeviation, micro};
  }

  /** Adds a worker's {@link #diagnostics()}. */
  void merge(double[] d) {
    pg += d[0];
    kl += d[1];
    entropy += d[2];
    clip += d[3];
    ratio += d[4];
    tokens += d[5];
    epochTokens += epoch == 0 ? d[5] : 0;
    firstDeviation = Math.max(firstDeviation, d[7]);
    micro += (int) d[8];
  }

  UpdateStats stats(double sampledDiff) {
    double t = Math.max(tokens, 1);
    return new UpdateStats(
        miniBatches == 0 ? Double.NaN : pg / miniBatches,
        kl / t,
        entropy / t,
        clip / t,
        ratio / t,
        firstDeviation,
        steps == 0 ? Double.NaN : gradNormSum / steps,
        steps,
        skipped,
        sampledDiff,
        epochTokens,
        lr);
  }
}

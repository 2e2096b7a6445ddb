package io.github.dartrl.core.generate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the next token from one row of logits on the Java side, and reports its log-probability
 * under the tempered, untruncated distribution (what training recomputes).
 */
final class TokenSampler {
  private final SamplingParams params;

  TokenSampler(SamplingParams params) {
    this.params = params;
  }

  /** Picked token id and its log-probability. */
  record Choice(int token, float logProb) {}

  Choice choose(float[] logits, int offset, int vocab, SplittableRandom rng) {
    double t = params.isGreedy() ? 1.0 : params.temperature();
    double max = Double.NEGATIVE_INFINITY;
    int argmax = 0;
    for (int j = 0; j < vocab; j++) {
      float x = logits[offset + j];
      if (x > max) {
        max = x;
        argmax = j;
      }
    }
    double scaledMax = max / t;
    double sum = 0;
    for (int j = 0; j < vocab; j++) {
      sum += Math.exp(logits[offset + j] / t - scaledMax);
    }
    double logZ = scaledMax + Math.log(sum);
    int token = params.isGreedy() ? argmax : draw(logits, offset, vocab, t, logZ, rng);
    return new Choice(token, (float) (logits[offset + token] / t - logZ));
  }

  private int draw(
      float[] logits, int offset, int vocab, double t, double logZ, SplittableRandom rng) {
    boolean truncate = params.topK() > 0 && params.topK() < vocab || params.topP() < 1;
    if (!truncate) {
      double u = rng.nextDouble();
      double c = 0;
      for (int j = 0; j < vocab; j++) {
        c += Math.exp(logits[offset + j] / t - logZ);
        if (u < c) {
          return j;
        }
      }
      return lastFinite(logits, offset, vocab);
    }
    // Sort candidates by probability (ties by id, so the order is deterministic).
    Integer[] order = new Integer[vocab];
    for (int j = 0; j < vocab; j++) {
      order[j] = j;
    }
    Arrays.sort(
        order,
        (a, b) -> {
          int cmp = Float.compare(logits[offset + b], logits[offset + a]);
          return cmp != 0 ? cmp : Integer.compare(a, b);
        });
    int keep = params.topK() > 0 ? Math.min(params.topK(), vocab) : vocab;
    double[] probs = new double[keep];
    double cumulative = 0;
    int n = 0;
    while (n < keep) {
      probs[n] = Math.exp(logits[offset + order[n]] / t - logZ);
      cumulative += probs[n];
      n++;
      if (cumulative >= params.topP()) {
        break;
      }
    }
    double u = rng.nextDouble() * cumulative;
    double c = 0;
    for (int i = 0; i < n; i++) {
      c += probs[i];
      if (u < c) {
        return order[i];
      }
    }
    return order[n - 1];
  }

  private static int lastFinite(float[] logits, int offset, int vocab) {
    // Rounding can leave the cumulative sum a hair below u; take the last token with mass.
    for (int j = vocab - 1; j >= 0; j--) {
      if (logits[offset + j] > Float.NEGATIVE_INFINITY) {
        return j;
      }
    }
    return 0;
  }
}

package io.github.dartrl.core.generate;

import io.github.dartrl.core.model.NonFiniteOutputException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the next token from one row of next-token probabilities {@code softmax(logits / T)}
 * (computed on the libtorch side, see {@link DecodeSession}) and reports its log-probability under
 * that tempered, untruncated distribution (what training recomputes). Greedy decoding uses {@code T
 * = 1}.
 *
 * <p>The loops here touch each probability at most once with a compare or an add: no per-element
 * {@code exp}, and top-k/top-p sort primitive keys instead of boxed indices.
 */
final class TokenSampler {
  private final SamplingParams params;

  TokenSampler(SamplingParams params) {
    this.params = params;
  }

  /** Picked token id and its log-probability. */
  record Choice(int token, float logProb) {}

  /**
   * Picks from the row at {@code offset}.
   *
   * @throws NonFiniteOutputException when the row holds NaN (NaN or infinite logits): checked on
   *     the chosen token only, which is NaN or not positive exactly when the row is unusable
   */
  Choice choose(float[] probs, int offset, int vocab, SplittableRandom rng) {
    int token = params.isGreedy() ? argmax(probs, offset, vocab) : draw(probs, offset, vocab, rng);
    float p = probs[offset + token];
    if (!(p > 0f) || !Float.isFinite(p)) {
      throw new NonFiniteOutputException(
          "next-token probabilities", "decode row " + offset / vocab + ", token " + token, p);
    }
    return new Choice(token, (float) Math.log(p));
  }

  private static int argmax(float[] probs, int offset, int vocab) {
    int best = 0;
    float max = Float.NEGATIVE_INFINITY;
    for (int j = 0; j < vocab; j++) {
      float p = probs[offset + j];
      if (p > max) {
        max = p;
        best = j;
      }
    }
    return best;
  }

  private int draw(float[] probs, int offset, int vocab, SplittableRandom rng) {
    boolean truncate = params.topK() > 0 && params.topK() < vocab || params.topP() < 1;
    if (!truncate) {
      double u = rng.nextDouble();
      double c = 0;
      for (int j = 0; j < vocab; j++) {
        c += probs[offset + j];
        if (u < c) {
          return j;
        }
      }
      return lastPositive(probs, offset, vocab);
    }
    // Candidates by probability, descending, ties by id (deterministic): probabilities are
    // non-negative, so their float bits order like their values; pack (rank key, id) in a long.
    long[] order = new long[vocab];
    for (int j = 0; j < vocab; j++) {
      long key = Integer.MAX_VALUE - Float.floatToIntBits(probs[offset + j]);
      order[j] = key << 32 | j;
    }
    Arrays.sort(order);
    int keep = params.topK() > 0 ? Math.min(params.topK(), vocab) : vocab;
    double[] kept = new double[keep];
    double cumulative = 0;
    int n = 0;
    while (n < keep) {
      kept[n] = probs[offset + id(order[n])];
      cumulative += kept[n];
      n++;
      if (cumulative >= params.topP()) {
        break;
      }
    }
    double u = rng.nextDouble() * cumulative;
    double c = 0;
    for (int i = 0; i < n; i++) {
      c += kept[i];
      if (u < c) {
        return id(order[i]);
      }
    }
    return id(order[n - 1]);
  }

  private static int id(long packed) {
    return (int) (packed & 0xFFFFFFFFL);
  }

  private static int lastPositive(float[] probs, int offset, int vocab) {
    // Rounding can leave the cumulative sum a hair below u; take the last token with mass.
    for (int j = vocab - 1; j >= 0; j--) {
      if (probs[offset + j] > 0) {
        return j;
      }
    }
    return 0;
  }
}

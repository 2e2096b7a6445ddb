package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;

/**
 * The LM head's log-probabilities of given targets, over chunks of positions so the {@code [T, V]}
 * logits never exist at once ({@link DecoderModel#logProbs}).
 */
final class LmHead {
  private LmHead() {}

  /** Log-probs (and entropies) of {@code targets}, {@code chunk} positions at a time. */
  static NDList logProbsAndEntropy(
      DecoderModel model,
      NDArray hidden,
      NDArray targets,
      float temperature,
      boolean entropy,
      boolean entropyGrad,
      long chunk) {
    Shape shape = targets.getShape(); // [B, T]
    long n = shape.size();
    NDArray rows = hidden.reshape(n, hidden.getShape().get(2)); // [N, d]
    NDArray ids = targets.reshape(n, 1);
    NDList lps = new NDList();
    NDList entropies = new NDList();
    for (long start = 0; start < n; start += chunk) {
      long end = Math.min(n, start + chunk);
      boolean whole = start == 0 && end == n;
      NDList c =
          chunkLogProbs(
              model,
              whole ? rows : rows.get(start + ":" + end),
              whole ? ids : ids.get(start + ":" + end),
              temperature,
              entropy,
              entropyGrad);
      lps.add(c.get(0));
      if (entropy) {
        entropies.add(c.get(1));
      }
    }
    NDList out = new NDList(concat(lps).reshape(shape));
    if (entropy) {
      out.add(concat(entropies).reshape(shape));
    }
    return out;
  }

  /**
   * One chunk of the LM head: {@code h [c, d]}, {@code ids [c, 1]} to the log-probs {@code [c]}
   * (and the entropies {@code [c]}), freeing the chunk's {@code [c, V]} arrays before returning.
   */
  static NDList chunkLogProbs(
      DecoderModel model,
      NDArray h,
      NDArray ids,
      float temperature,
      boolean entropy,
      boolean entropyGrad) {
    NDArray logits = model.logits(h); // [c, V]
    NDArray scaled = temperature == 1f ? logits : Scalars.div(logits, temperature);
    NDArray logp = scaled.logSoftmax(-1);
    // log_softmax's backward reads its output, not its input: the logits can go now
    if (scaled != logits) {
      scaled.close();
    }
    logits.close();
    NDList out = new NDList(logp.gather(ids, -1).squeeze(-1));
    if (entropy) {
      NDArray src = entropyGrad ? logp : logp.stopGradient();
      NDArray p = src.exp();
      NDArray plogp = p.mul(src);
      out.add(plogp.sum(new int[] {-1}).neg());
      plogp.close();
      p.close();
      if (src != logp) {
        src.close();
      }
    }
    logp.close(); // autograd keeps what it saved; without grad this frees the chunk
    return out;
  }

  private static NDArray concat(NDList parts) {
    return parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, 0);
  }
}

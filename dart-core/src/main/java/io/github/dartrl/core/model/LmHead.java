package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

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

  /**
   * Elements of the LM-head weight widened to fp32 at a time when it is stored in fp16: 8 M (32 MB
   * of fp32). Widening the whole tied table per call instead made a transient fp32 copy of it (0.54
   * GB at Qwen2.5-0.5B's shape) for every decoded token and every chunk of positions.
   */
  static final long WIDEN_ELEMENTS = 8L << 20;

  /**
   * {@code hidden [..., d] -> logits [..., V]} for a weight {@code [V, d]} stored in another type
   * than the activations (fp16): each block of vocabulary rows is widened to fp32, multiplied and
   * freed before the next, so at most {@link #WIDEN_ELEMENTS} of the weight exist in fp32 at once
   * (under autograd, each block is kept for backward as the single widened copy was).
   */
  static NDArray logitsByBlocks(NDArray hidden, NDArray weight) {
    return logitsByBlocks(hidden, weight, blockRows(weight));
  }

  /** {@link #logitsByBlocks(NDArray, NDArray)} with {@code rows} vocabulary rows per block. */
  static NDArray logitsByBlocks(NDArray hidden, NDArray weight, long rows) {
    long v = weight.getShape().get(0);
    if (rows >= v) {
      return Projection.linearOnCopy(hidden, weight, null);
    }
    NDList parts = new NDList();
    try {
      for (long start = 0; start < v; start += rows) {
        try (NDArray block = weight.get(start + ":" + Math.min(v, start + rows))) {
          parts.add(Projection.linearOnCopy(hidden, block, null));
        }
      }
      return NDArrays.concat(parts, -1);
    } finally {
      parts.close();
    }
  }

  private static long blockRows(NDArray weight) {
    return Math.max(1, WIDEN_ELEMENTS / weight.getShape().get(1));
  }

  /**
   * {@code gLogits [c, V] @ W [V, d] -> [c, d]}: the gradient of the LM head's input, block by
   * block of vocabulary rows (each widened to fp32 on its own when the weight is fp16). No graph.
   */
  static NDArray inputGradient(NDArray gLogits, NDArray weight) {
    if (weight.getDataType() == DataType.FLOAT32) {
      return gLogits.matMul(weight);
    }
    return inputGradient(gLogits, weight, blockRows(weight));
  }

  /** {@link #inputGradient(NDArray, NDArray)} with {@code rows} vocabulary rows per block. */
  static NDArray inputGradient(NDArray gLogits, NDArray weight, long rows) {
    long v = weight.getShape().get(0);
    NDArray sum = null;
    for (long start = 0; start < v; start += rows) {
      String at = start + ":" + Math.min(v, start + rows);
      try (NDArray block = weight.get(at);
          NDArray wide = block.toType(DataType.FLOAT32, false);
          NDArray g = gLogits.get(":, " + at);
          NDArray part = g.matMul(wide)) {
        if (sum == null) {
          sum = part.duplicate();
        } else {
          sum.addi(part);
        }
      }
    }
    return sum;
  }

  /**
   * The gradient of one chunk's loss with respect to its hidden states {@code h [c, d]}, computed
   * in closed form without autograd, for a frozen LM head. With {@code z = h W^T / τ}, {@code p =
   * softmax(z)}: the log-prob of target {@code y} has {@code ∂/∂z = onehot(y) - p}; the entropy
   * {@code H = -Σ p log p} has {@code ∂H/∂z = -p (log p + H)}. So {@code ∂L/∂h = ((-gLp p + gEnt
   * (-p (log p + H))) W + gLp W[y]) / τ}: the one-hot term is a row lookup of the targets, so no
   * {@code [c, V]} one-hot exists, and the other terms are built in place in the buffers of {@code
   * p} and {@code log p} (two {@code [c, V]} arrays, plus one transient). Autograd instead kept the
   * chunk's log-softmax and, for an fp16 head, a widened fp32 copy of the whole table until the
   * chunk's backward ended.
   *
   * @param ids the chunk's targets {@code [c, 1]}
   * @param gLp upstream gradient of the chunk's log-probs {@code [c]}
   * @param gEnt upstream gradient of its entropies {@code [c]}, or null
   */
  static NDArray hiddenGradient(
      DecoderModel model, NDArray h, NDArray ids, float temperature, NDArray gLp, NDArray gEnt) {
    try (GradMode off = GradMode.disabled()) {
      long c = h.getShape().get(0);
      NDArray weight = model.lmHeadWeight();
      NDArray logp;
      try (NDArray logits = model.logits(h)) { // [c, V]
        if (temperature != 1f) {
          Scalars.divi(logits, temperature);
        }
        logp = logits.logSoftmax(-1);
      }
      NDArray g = logp.exp(); // p, then the gradient in its buffer
      try (NDArray gLpCol = gLp.reshape(c, 1)) {
        if (gEnt != null) {
          try (NDArray plogp = g.mul(logp);
              NDArray ent = plogp.sum(new int[] {-1}, true).negi(); // H [c, 1]
              NDArray gEntCol = gEnt.reshape(c, 1)) {
            logp.addi(ent).muli(g).muli(gEntCol).negi(); // gEnt (-p (log p + H))
          }
        }
        g.muli(gLpCol).negi(); // -gLp p
        if (gEnt != null) {
          g.addi(logp);
        }
        logp.close();
        NDArray out = inputGradient(g, weight);
        g.close();
        try (NDArray flat = ids.reshape(c);
            NDArray rows =
                Embedding.embedding(flat, weight, SparseFormat.DENSE).singletonOrThrow();
            NDArray wide = rows.toType(DataType.FLOAT32, false)) {
          out.addi(wide.muli(gLpCol)); // + gLp W[y]
        }
        if (temperature != 1f) {
          Scalars.divi(out, temperature);
        }
        return out;
      }
    }
  }

  private static NDArray concat(NDList parts) {
    return parts.size() == 1 ? parts.singletonOrThrow() : NDArrays.concat(parts, 0);
  }
}

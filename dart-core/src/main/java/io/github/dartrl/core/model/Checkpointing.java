package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Activation recomputation for {@link DecoderModel}: the trunk (embedding, layers, final norm) and
 * the LM head run without a graph, keeping only each layer's input {@code [B, T, d]}, and return
 * leaves that require gradients. After the loss's backward, {@link DeferredBackward} runs the
 * segments last to first: each recomputes its piece with a graph from a copy of its kept input and
 * back-propagates the gradient its output received, which gives its input's gradient for the
 * segment before and accumulates the weights' gradients (LoRA A/B, or every backbone tensor under
 * FULL). Peak activation memory is one layer's (one LM-head chunk's) instead of all of them.
 *
 * <p>The recomputation runs the very code of the plain forward on the same inputs, so it computes
 * the same values; the gradients differ from a single backward only in the order in which libtorch
 * adds contributions into a weight's {@code .grad}.
 */
final class Checkpointing {
  private Checkpointing() {}

  /** The checkpointed trunk: returns the final hidden states {@code [B, T, d]} as a leaf. */
  static NDArray trunk(DecoderModel model, NDArray ids, ForwardContext ctx) {
    List<NDArray> inputs = new ArrayList<>(); // input of each layer, then of the final norm
    NDArray h;
    try (GradMode off = GradMode.disabled()) {
      NDArray x = model.embedLookup(ids);
      for (int l = 0; l < model.layerCount(); l++) {
        inputs.add(x);
        x = model.layer(l, x, ctx);
      }
      inputs.add(x);
      try (NDScope scope = new NDScope()) {
        h = model.finalNorm().apply(x);
        NDScope.unregister(h);
      }
    }
    h.setRequiresGradient(true);
    DeferredBackward.defer(() -> trunkBackward(model, ids, ctx, inputs, h));
    return h;
  }

  private static void trunkBackward(
      DecoderModel model, NDArray ids, ForwardContext ctx, List<NDArray> inputs, NDArray h) {
    int layers = model.layerCount();
    NDArray g = owned(h.getGradient()); // [B,T,d]
    g = segment(inputs.get(layers), g, x -> model.finalNorm().apply(x));
    for (int l = layers - 1; l >= 0; l--) {
      final int layer = l;
      g = segment(inputs.get(l), g, x -> model.layer(layer, x, ctx));
    }
    if (model.embeddingTrainable()) { // FULL: the lookup's gradient reaches the table
      try (NDScope scope = new NDScope()) {
        DeferredBackward.backward(model.embedLookup(ids), g, false);
      }
    }
    g.close();
  }

  /**
   * Recomputes {@code f} on a copy of {@code input} with a graph and back-propagates {@code
   * upstream} (closed here, as is {@code input}); returns the input's gradient.
   */
  private static NDArray segment(NDArray input, NDArray upstream, UnaryOperator<NDArray> f) {
    NDArray grad;
    try (NDScope scope = new NDScope()) {
      NDArray leaf = input.duplicate(); // a fresh leaf; duplicate() records no graph
      leaf.setRequiresGradient(true);
      NDArray out = f.apply(leaf);
      DeferredBackward.backward(out, upstream, false);
      out.close(); // a layer's output is not in this scope (the layer hands it out)
      grad = leaf.getGradient().duplicate();
      NDScope.unregister(grad);
    }
    upstream.close();
    input.close();
    return grad;
  }

  /** A copy owned by the caller of a gradient handle (which shares the leaf's {@code .grad}). */
  private static NDArray owned(NDArray gradient) {
    NDArray copy = gradient.duplicate();
    gradient.close();
    return copy;
  }

  /**
   * The checkpointed LM head: log-probs (and entropies) computed without a graph, returned as
   * leaves; backward recomputes one chunk of positions at a time from {@code hidden}.
   */
  static NDList head(
      DecoderModel model,
      NDArray hidden,
      NDArray targets,
      float temperature,
      boolean entropy,
      boolean entropyGrad,
      long chunk) {
    NDList values;
    try (GradMode off = GradMode.disabled()) {
      values = model.logProbsAndEntropy(hidden, targets, temperature, entropy, false, chunk);
    }
    NDArray lp = leaf(values.get(0));
    NDList out = new NDList(lp);
    NDArray ent = null;
    if (entropy) {
      ent = entropyGrad ? leaf(values.get(1)) : values.get(1);
      out.add(ent);
    }
    NDArray entLeaf = entropyGrad ? ent : null;
    DeferredBackward.defer(
        () -> headBackward(model, hidden, targets, temperature, lp, entLeaf, chunk));
    return out;
  }

  private static NDArray leaf(NDArray value) {
    NDArray leaf = value.duplicate();
    value.close();
    leaf.setRequiresGradient(true);
    return leaf;
  }

  private static void headBackward(
      DecoderModel model,
      NDArray hidden,
      NDArray targets,
      float temperature,
      NDArray lp,
      NDArray ent,
      long chunk) {
    Shape shape = targets.getShape(); // [B, T]
    long n = shape.size();
    long d = hidden.getShape().get(2);
    try (NDScope scope = new NDScope()) {
      NDArray gLp = owned(lp.getGradient()).reshape(n);
      NDArray gEnt = ent == null ? null : owned(ent.getGradient()).reshape(n);
      NDArray ids = targets.reshape(n, 1);
      for (long start = 0; start < n; start += chunk) {
        String at = start + ":" + Math.min(n, start + chunk);
        try (NDScope chunkScope = new NDScope()) {
          NDArray h = hidden.reshape(n, d).get(at);
          if (!model.lmHeadWeight().hasGradient()) {
            // a frozen head: its input's gradient in closed form, without a graph that keeps the
            // chunk's [c, V] arrays (and an fp16 head's widened copy) until it is back-propagated
            NDArray gh;
            try (GradMode off = GradMode.disabled();
                NDArray rows = h.stopGradient()) {
              gh =
                  LmHead.hiddenGradient(
                      model,
                      rows,
                      ids.get(at),
                      temperature,
                      gLp.get(at),
                      gEnt == null ? null : gEnt.get(at));
            }
            DeferredBackward.backward(h, gh, false);
            continue;
          }
          // a trained head (FULL): a graph per chunk from hidden, freed by its own backward
          NDList c =
              LmHead.chunkLogProbs(model, h, ids.get(at), temperature, gEnt != null, gEnt != null);
          DeferredBackward.backward(c.get(0), gLp.get(at), gEnt != null);
          if (gEnt != null) {
            DeferredBackward.backward(c.get(1), gEnt.get(at), false);
          }
        }
      }
    }
  }
}

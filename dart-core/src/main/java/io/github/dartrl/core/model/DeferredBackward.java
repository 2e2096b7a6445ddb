package io.github.dartrl.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * The backward passes a checkpointed forward ({@link DecoderModel#setGradientCheckpointing}) leaves
 * to run after the loss's own backward.
 *
 * <p>A checkpointed forward runs without an autograd graph and hands back leaves (the final hidden
 * states, the log-probs) that require gradients. The loss's backward stops at those leaves; each
 * checkpointed segment then recomputes its piece with a graph, from its kept input, and
 * back-propagates the gradient its output received ({@code torch.autograd.backward(out, grad)}),
 * which leaves the gradient of its input for the segment before it and accumulates the trainable
 * weights' gradients exactly as one backward over the whole graph would. Segments run last to first
 * (a stack).
 *
 * <p>So a checkpointed forward must run inside {@link #run}, which {@code Gradients.backward} uses;
 * a checkpointed forward elsewhere (a bare {@code GradientCollector}) is refused, since its
 * gradients would silently stop at the leaves. State is per thread, like PyTorch's grad mode.
 */
public final class DeferredBackward {
  private static final ThreadLocal<Deque<Runnable>> PENDING = new ThreadLocal<>();

  private DeferredBackward() {}

  /**
   * Builds {@code loss} under a gradient collector, back-propagates it, then runs every segment a
   * checkpointed forward deferred (last first). Returns the loss value.
   */
  public static float run(Supplier<NDArray> loss) {
    if (PENDING.get() != null) {
      throw new IllegalStateException("DeferredBackward.run is not re-entrant");
    }
    Deque<Runnable> pending = new ArrayDeque<>();
    PENDING.set(pending);
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray l = loss.get();
      float value = l.getFloat();
      gc.backward(l);
      while (!pending.isEmpty()) {
        pending.pop().run();
      }
      return value;
    } finally {
      PENDING.remove();
    }
  }

  /** True while {@link #run} builds a loss on this thread (a checkpointed forward may defer). */
  static boolean armed() {
    return PENDING.get() != null;
  }

  /** Queues a segment's recompute-and-backward; it runs before the segments queued earlier. */
  static void defer(Runnable segment) {
    Deque<Runnable> pending = PENDING.get();
    if (pending == null) {
      throw new IllegalStateException(
          "gradient checkpointing: a forward with gradients must run inside"
              + " Gradients.backward (DeferredBackward.run), which recomputes the checkpointed"
              + " layers after the loss's backward; in a bare GradientCollector the gradients"
              + " would stop at the checkpoint. Turn checkpointing off for this use");
    }
    pending.push(segment);
  }

  /** {@code torch.autograd.backward(out, grad)}: accumulates into every leaf {@code out} needs. */
  static void backward(NDArray out, NDArray grad, boolean keepGraph) {
    JniUtils.backward((PtNDArray) out, (PtNDArray) grad, keepGraph, false);
  }
}

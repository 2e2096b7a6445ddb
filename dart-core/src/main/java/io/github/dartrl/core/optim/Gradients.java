package io.github.dartrl.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.dartrl.core.model.DeferredBackward;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Gradient buffers for a set of trainable arrays, filled by explicit backward passes.
 *
 * <p>PyTorch accumulates into each array's {@code .grad} across collectors (djl.md gotcha 3), so
 * after every backward the gradients are moved into these buffers (optionally masked, for STRICT
 * isolation) and {@code .grad} is zeroed. Micro-batches accumulate by calling {@link #backward}
 * several times; the optimizer reads the buffers.
 */
public final class Gradients implements AutoCloseable {
  private final Map<String, NDArray> params;
  private final Map<String, NDArray> buffers = new LinkedHashMap<>();
  private final NDManager manager;

  public Gradients(Map<String, NDArray> params, NDManager parent) {
    this.params = new LinkedHashMap<>(params);
    this.manager = parent.newSubManager();
    for (Map.Entry<String, NDArray> e : this.params.entrySet()) {
      buffers.put(e.getKey(), manager.zeros(e.getValue().getShape()));
    }
  }

  /** The arrays these gradients belong to. */
  public Map<String, NDArray> parameters() {
    return params;
  }

  /** The accumulated gradient of one array (owned by this object). */
  public NDArray get(String name) {
    return buffers.get(name);
  }

  /**
   * Computes {@code loss} under a gradient collector, back-propagates it and adds the gradients to
   * the buffers. Returns the loss value.
   */
  public float backward(Supplier<NDArray> loss) {
    return backward(loss, null);
  }

  /**
   * Like {@link #backward(Supplier)}, keeping only the masked part of each gradient: {@code masks}
   * maps an array name to a 0/1 array broadcastable to it; arrays without a mask get nothing.
   */
  public float backward(Supplier<NDArray> loss, Map<String, NDArray> masks) {
    // a checkpointed forward's recomputed segments run right after the loss's own backward
    float value = DeferredBackward.run(loss);
    try (GradMode off = GradMode.disabled();
        NDScope scope = new NDScope()) {
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray p = e.getValue();
        if (masks != null && !masks.containsKey(e.getKey())) {
          JniUtils.zeroGrad((PtNDArray) p);
          continue;
        }
        NDArray g = p.getGradient();
        NDArray buf = buffers.get(e.getKey());
        buf.addi(masks == null ? g : g.mul(masks.get(e.getKey())));
        JniUtils.zeroGrad((PtNDArray) p);
      }
    }
    return value;
  }

  /** Global L2 norm over all buffers. */
  public double globalNorm() {
    try (NDScope scope = new NDScope()) {
      double sq = 0;
      for (NDArray b : buffers.values()) {
        sq += b.square().sum().getFloat();
      }
      return Math.sqrt(sq);
    }
  }

  /** Names of the buffers holding NaN or infinity (empty if all are finite). */
  public java.util.List<String> nonFinite() {
    java.util.List<String> bad = new java.util.ArrayList<>();
    try (NDScope scope = new NDScope()) {
      for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
        NDArray b = e.getValue();
        if (b.isNaN().any().getBoolean() || b.isInfinite().any().getBoolean()) {
          bad.add(e.getKey());
        }
      }
    }
    return bad;
  }

  /** True if no buffer holds NaN or infinity. */
  public boolean allFinite() {
    try (NDScope scope = new NDScope()) {
      for (NDArray b : buffers.values()) {
        if (b.isNaN().any().getBoolean() || b.isInfinite().any().getBoolean()) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Scales all buffers so the global norm is at most {@code maxNorm}; returns the norm before
   * clipping.
   */
  public double clipGlobalNorm(double maxNorm) {
    double norm = globalNorm();
    if (maxNorm > 0 && norm > maxNorm) {
      float s = (float) (maxNorm / (norm + 1e-6));
      for (NDArray b : buffers.values()) {
        Scalars.muli(b, s);
      }
    }
    return norm;
  }

  /** Scales every buffer (e.g. 1/number of micro-batches). */
  public void scale(float factor) {
    for (NDArray b : buffers.values()) {
      Scalars.muli(b, factor);
    }
  }

  /** Resets every buffer to zero (fresh arrays, so a NaN left by a skipped step cannot survive). */
  public void zero() {
    for (Map.Entry<String, NDArray> e : buffers.entrySet()) {
      NDArray old = e.getValue();
      e.setValue(manager.zeros(old.getShape()));
      old.close();
    }
  }

  @Override
  public void close() {
    manager.close();
  }
}

package io.github.dartrl.core.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.Scalars;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (decoupled weight decay, PyTorch semantics) over an explicit set of arrays, with its state
 * (moments and step count) exposed so checkpoints can save and restore it exactly.
 *
 * <pre>
 *   w &larr; w * (1 - lr*wd)
 *   m &larr; b1 m + (1-b1) g;   v &larr; b2 v + (1-b2) g^2
 *   w &larr; w - lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 * </pre>
 */
public final class AdamW implements AutoCloseable {
  /**
   * @param beta1 first-moment decay
   * @param beta2 second-moment decay
   * @param eps denominator term
   * @param weightDecay decoupled weight decay
   */
  public record Config(double beta1, double beta2, double eps, double weightDecay) {
    public Config {
      if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
        throw new IllegalArgumentException("betas must be in [0, 1)");
      }
      if (!(eps > 0) || !(weightDecay >= 0)) {
        throw new IllegalArgumentException("eps must be > 0 and weight decay >= 0");
      }
    }

    /** PyTorch defaults with verl's actor weight decay 0.01. */
    public static Config defaults() {
      return new Config(0.9, 0.999, 1e-8, 0.01);
    }
  }

  private final Config config;
  private final NDManager manager;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private int step;

  public AdamW(Config config, Map<String, NDArray> params, NDManager parent) {
    this.config = config;
    this.manager = parent.newSubManager();
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      m.put(e.getKey(), manager.zeros(e.getValue().getShape()));
      v.put(e.getKey(), manager.zeros(e.getValue().getShape()));
    }
  }

  public Config config() {
    return config;
  }

  /** Updates taken so far. */
  public int stepCount() {
    return step;
  }

  /** Applies one update from {@code grads} at learning rate {@code lr}. */
  public void step(Gradients grads, double lr) {
    step++;
    float b1 = (float) config.beta1();
    float b2 = (float) config.beta2();
    double c1 = 1 - Math.pow(config.beta1(), step);
    double c2 = 1 - Math.pow(config.beta2(), step);
    try (GradMode off = GradMode.disabled();
        NDScope scope = new NDScope()) {
      for (Map.Entry<String, NDArray> e : grads.parameters().entrySet()) {
        String name = e.getKey();
        NDArray w = e.getValue();
        NDArray g = grads.get(name);
        NDArray mi = m.get(name);
        NDArray vi = v.get(name);
        if (mi == null) {
          throw new IllegalArgumentException("optimizer has no state for " + name);
        }
        if (config.weightDecay() > 0) {
          Scalars.muli(w, (float) (1 - lr * config.weightDecay()));
        }
        Scalars.muli(mi, b1).addi(Scalars.mul(g, 1 - b1));
        Scalars.muli(vi, b2).addi(Scalars.mul(g.square(), 1 - b2));
        NDArray denom = Scalars.add(Scalars.div(vi, (float) c2).sqrt(), (float) config.eps());
        w.subi(Scalars.mul(mi, (float) (lr / c1)).div(denom));
      }
    }
  }

  /** First moments by array name (live; for checkpointing). */
  public Map<String, NDArray> firstMoments() {
    return Collections.unmodifiableMap(m);
  }

  /** Second moments by array name (live; for checkpointing). */
  public Map<String, NDArray> secondMoments() {
    return Collections.unmodifiableMap(v);
  }

  /** Restores state saved from an optimizer over the same arrays. */
  public void restore(int stepCount, Map<String, NDArray> first, Map<String, NDArray> second) {
    if (!first.keySet().equals(m.keySet()) || !second.keySet().equals(v.keySet())) {
      throw new IllegalArgumentException("optimizer state does not match the trainable arrays");
    }
    try (GradMode off = GradMode.disabled()) {
      for (String k : m.keySet()) {
        copyInto(m.get(k), first.get(k), k);
        copyInto(v.get(k), second.get(k), k);
      }
    }
    this.step = stepCount;
  }

  private static void copyInto(NDArray dst, NDArray src, String name) {
    if (!dst.getShape().equals(src.getShape())) {
      throw new IllegalArgumentException(
          "optimizer state "
              + name
              + " has shape "
              + src.getShape()
              + ", expected "
              + dst.getShape());
    }
    dst.set(new ai.djl.ndarray.index.NDIndex(":"), src);
  }

  @Override
  public void close() {
    manager.close();
  }
}

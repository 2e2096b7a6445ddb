package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

/**
 * A linear projection {@code y = x W^T + b} of the backbone (HF layout: {@code W [out, in]}), plus
 * an optional {@link ProjectionDelta} attached by an adapter.
 */
public final class Projection {
  private final String name;
  private final NDArray weight; // [out, in]
  private final NDArray bias; // [out] or null
  private ProjectionDelta delta;

  Projection(String name, NDArray weight, NDArray bias) {
    this.name = name;
    this.weight = weight;
    this.bias = bias;
  }

  /**
   * HF module path without the {@code .weight} suffix, e.g. {@code
   * model.layers.0.self_attn.q_proj}.
   */
  public String name() {
    return name;
  }

  /** The short module name, e.g. {@code q_proj}. */
  public String moduleName() {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  public NDArray weight() {
    return weight;
  }

  /** Bias or null. */
  public NDArray bias() {
    return bias;
  }

  public long inFeatures() {
    return weight.getShape().get(1);
  }

  public long outFeatures() {
    return weight.getShape().get(0);
  }

  /** Attaches (or, with null, removes) the delta added to this projection's output. */
  public void setDelta(ProjectionDelta delta) {
    this.delta = delta;
  }

  public ProjectionDelta delta() {
    return delta;
  }

  /** {@code x [B, T, in] -> [B, T, out]}. */
  NDArray apply(NDArray x, ForwardContext context) {
    NDArray y;
    if (weight.getDataType() == x.getDataType()) {
      y =
          bias == null
              ? Linear.linear(x, weight).singletonOrThrow()
              : Linear.linear(x, weight, bias).singletonOrThrow();
    } else {
      y = linearOnCopy(x, weight, bias);
    }
    return delta == null ? y : delta.addTo(y, x, context);
  }

  /**
   * {@code x W^T + b} for a weight stored in another type than the activations (an fp16 backbone,
   * {@link BackbonePrecision#FP16}): the product runs on an fp32 copy of the weight. The
   * activations cannot be cast instead, because DJL 0.36's {@code toType} detaches its result from
   * autograd. The copy's handle is closed at once; libtorch keeps its storage while a backward pass
   * still needs it (a frozen weight is saved for the input's gradient) and frees it after.
   */
  static NDArray linearOnCopy(NDArray x, NDArray weight, NDArray bias) {
    NDArray w = weight.toType(x.getDataType(), false);
    try {
      return bias == null
          ? Linear.linear(x, w).singletonOrThrow()
          : Linear.linear(x, w, bias).singletonOrThrow();
    } finally {
      w.close();
    }
  }
}

package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A trainable addition to a frozen projection, e.g. the low-rank update of LoRA adapters. The model
 * knows nothing about how it is computed; it only adds its output to {@code W x + b}.
 */
public interface ProjectionDelta {

  /**
   * Returns {@code y [B, T, out]} (the frozen projection's output) plus the delta for input {@code
   * x [B, T, in]}, or {@code y} itself when nothing is added at any position of this forward (e.g.
   * adapters disabled). Implementations should fold the addition into their last product (e.g. as
   * the bias of a linear): one op fewer per projection.
   */
  NDArray addTo(NDArray y, NDArray x, ForwardContext context);
}

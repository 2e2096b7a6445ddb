package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A trainable addition to a frozen projection, e.g. the low-rank update of LoRA adapters. The model
 * knows nothing about how it is computed; it only adds its output to {@code W x + b}.
 */
public interface ProjectionDelta {

  /**
   * Returns the delta for input {@code x [B, T, in]} as {@code [B, T, out]}, or null when nothing
   * is added at any position of this forward (e.g. adapters disabled).
   */
  NDArray apply(NDArray x, ForwardContext context);
}

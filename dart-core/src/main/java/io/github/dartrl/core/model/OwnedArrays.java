package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Creates arrays from Java data whose memory libtorch owns.
 *
 * <p>DJL's {@code create(float[])} wraps a Java direct buffer without copying ({@code from_blob}).
 * When such an array feeds an op that saves it for backward (a multiplier, a gather index), the
 * autograd graph keeps a pointer into that buffer, not a reference to the Java object; once the
 * Java side is garbage-collected the buffer is freed and backward reads freed memory. Seen here as
 * rare NaN/infinite gradients that appeared only under GC pressure. Copying once into
 * libtorch-owned memory removes the hazard; the arrays made here are small (masks, gates, ids).
 */
public final class OwnedArrays {
  private OwnedArrays() {}

  public static NDArray of(NDManager manager, float[] data, Shape shape) {
    try (NDArray wrapped = manager.create(data, shape)) {
      return wrapped.duplicate();
    }
  }

  public static NDArray of(NDManager manager, long[] data, Shape shape) {
    try (NDArray wrapped = manager.create(data, shape)) {
      return wrapped.duplicate();
    }
  }

  public static NDArray of(NDManager manager, double[] data, Shape shape) {
    try (NDArray wrapped = manager.create(data, shape)) {
      return wrapped.duplicate();
    }
  }
}

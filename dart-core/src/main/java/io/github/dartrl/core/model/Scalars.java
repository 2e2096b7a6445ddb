package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Scalar operands for differentiable code.
 *
 * <p>Never write {@code x.mul(2f)}, {@code x.div(n)} or {@code x.pow(p)} on a tensor that takes
 * part in a backward pass. DJL 0.36 implements these by wrapping the number in a Java-backed 0-dim
 * tensor, running the tensor op, and closing the wrapper right away; PyTorch's {@code mul}/{@code
 * div}/{@code pow} save that operand for backward, so backward later reads a buffer the JVM may
 * already have freed. The symptom is rare NaN/infinite or silently wrong gradients that appear only
 * when the garbage collector runs at the wrong moment (reproduced here with a thread allocating
 * garbage). {@code add}/{@code sub}/{@code clip} with numbers are safe (nothing is saved), and so
 * is anything under grad mode off.
 */
public final class Scalars {
  private Scalars() {}

  /** A libtorch-owned 0-dim float tensor attached to {@code like}'s manager (and device). */
  public static NDArray of(NDArray like, float value) {
    return OwnedArrays.of(like.getManager(), new float[] {value}, new Shape());
  }

  /** {@code x * value}, safe for backward. */
  public static NDArray mul(NDArray x, double value) {
    return x.mul(of(x, (float) value));
  }

  /** {@code x / value}, safe for backward. */
  public static NDArray div(NDArray x, double value) {
    return x.div(of(x, (float) value));
  }
}

package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Scalar operands for tensor arithmetic: the only place in dart4j that combines a tensor with a
 * Java number.
 *
 * <p>Never write {@code x.mul(2f)}, {@code x.div(n)}, {@code x.add(eps)} or {@code x.pow(p)}. DJL
 * 0.36 implements every {@code NDArray op(Number)} by wrapping the number in a Java-backed 0-dim
 * tensor, running the tensor op, and closing the wrapper right away; PyTorch's {@code mul}/{@code
 * div}/{@code pow}/{@code maximum} save that operand for backward, so backward later reads a buffer
 * the JVM may already have freed. The symptom is rare NaN/infinite or silently wrong gradients that
 * appear only when the garbage collector runs at the wrong moment (reproduced here with a thread
 * allocating garbage). The helpers here copy the number into a libtorch-owned 0-dim tensor of the
 * operand's dtype ({@link OwnedArrays}); autograd holds its own reference to that memory, so the
 * Java handle is closed right after the op and nothing is left in the operand's manager.
 *
 * <p>The rule is enforced on bytecode by {@code ScalarOperandRule} (a test in every module), so it
 * covers code that is not differentiable today too: whether a call site takes part in a backward
 * pass is not visible in the code, and it can change.
 *
 * <p>The scalar has the operand's dtype, as PyTorch's type promotion would give for a Java number
 * against a float tensor; an integer operand only takes integral values (DJL would silently promote
 * the result to float otherwise).
 */
public final class Scalars {
  private Scalars() {}

  /**
   * A libtorch-owned 0-dim tensor of {@code like}'s dtype holding {@code value}, attached to {@code
   * like}'s manager (and device). The caller owns it.
   */
  public static NDArray of(NDArray like, double value) {
    DataType type = like.getDataType();
    var manager = like.getManager();
    if (type == DataType.FLOAT32) {
      return OwnedArrays.of(manager, new float[] {(float) value}, new Shape());
    }
    if (type == DataType.FLOAT64) {
      return OwnedArrays.of(manager, new double[] {value}, new Shape());
    }
    if (type.isFloating()) { // float16: rounded from double once, as PyTorch rounds a scalar
      try (NDArray d = OwnedArrays.of(manager, new double[] {value}, new Shape())) {
        return d.toType(type, true);
      }
    }
    if (value != Math.rint(value)) {
      throw new IllegalArgumentException(
          "scalar " + value + " is not integral but the operand has dtype " + type);
    }
    if (type == DataType.INT64) {
      return OwnedArrays.of(manager, new long[] {(long) value}, new Shape());
    }
    try (NDArray l = OwnedArrays.of(manager, new long[] {(long) value}, new Shape())) {
      return l.toType(type, true);
    }
  }

  /** {@code x + value}. */
  public static NDArray add(NDArray x, double value) {
    return apply(x, value, NDArray::add);
  }

  /** {@code x - value}. */
  public static NDArray sub(NDArray x, double value) {
    return apply(x, value, NDArray::sub);
  }

  /** {@code x * value}, safe for backward. */
  public static NDArray mul(NDArray x, double value) {
    return apply(x, value, NDArray::mul);
  }

  /** {@code x / value}, safe for backward. */
  public static NDArray div(NDArray x, double value) {
    return apply(x, value, NDArray::div);
  }

  /** {@code max(x, value)} elementwise, safe for backward. */
  public static NDArray maximum(NDArray x, double value) {
    return apply(x, value, NDArray::maximum);
  }

  /** {@code min(x, value)} elementwise, safe for backward. */
  public static NDArray minimum(NDArray x, double value) {
    return apply(x, value, NDArray::minimum);
  }

  /** {@code x += value} in place; returns {@code x}. */
  public static NDArray addi(NDArray x, double value) {
    return apply(x, value, NDArray::addi);
  }

  /** {@code x -= value} in place; returns {@code x}. */
  public static NDArray subi(NDArray x, double value) {
    return apply(x, value, NDArray::subi);
  }

  /** {@code x *= value} in place; returns {@code x}. */
  public static NDArray muli(NDArray x, double value) {
    return apply(x, value, NDArray::muli);
  }

  /** {@code x /= value} in place; returns {@code x}. */
  public static NDArray divi(NDArray x, double value) {
    return apply(x, value, NDArray::divi);
  }

  private static NDArray apply(NDArray x, double value, BinaryOperator<NDArray> op) {
    try (NDArray s = of(x, value)) {
      return op.apply(x, s);
    }
  }
}

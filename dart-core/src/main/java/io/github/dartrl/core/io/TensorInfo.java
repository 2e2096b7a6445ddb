package io.github.dartrl.core.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One entry of a safetensors header: a tensor's name, element type, shape and byte range.
 *
 * <p>{@code begin} and {@code end} are offsets into the data section (the bytes after the JSON
 * header), exactly as in the file's {@code data_offsets}. The shape array is copied on the way in
 * and out, so an instance is immutable.
 *
 * @param name the tensor name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype the stored element type
 * @param shape the dimensions, outermost first; empty for a scalar
 * @param begin first byte of the tensor in the data section
 * @param end one past the last byte of the tensor in the data section
 */
public record TensorInfo(String name, SafetensorsDType dtype, long[] shape, long begin, long end) {

  /** Validates the entry and takes a defensive copy of {@code shape}. */
  public TensorInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dtype, "dtype");
    shape = Objects.requireNonNull(shape, "shape").clone();
    for (long d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("bad byte range [" + begin + ", " + end + ")");
    }
  }

  /** Returns a copy of the shape. */
  @Override
  public long[] shape() {
    return shape.clone();
  }

  /**
   * Returns the number of elements (1 for a scalar).
   *
   * @throws ArithmeticException if the product overflows a {@code long}
   */
  public long numel() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** Returns the stored size in bytes, {@code end - begin}. */
  public long byteLength() {
    return end - begin;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && begin == t.begin
        && end == t.end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
  }

  @Override
  public String toString() {
    return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
  }
}

package io.github.dartrl.core.io;

import java.nio.file.Path;

/**
 * The element types of the safetensors format that dart4j reads, with their on-disk names.
 *
 * <p>The safetensors specification defines a few more (for example {@code F8_E4M3}, {@code U16}); a
 * file using them is rejected with a {@link ModelFormatException} rather than misread.
 */
public enum SafetensorsDType {
  F64(8, true),
  F32(4, true),
  F16(2, true),
  BF16(2, true),
  I64(8, false),
  I32(4, false),
  I16(2, false),
  I8(1, false),
  U8(1, false),
  BOOL(1, false);

  private final int byteSize;
  private final boolean floatingPoint;

  SafetensorsDType(int byteSize, boolean floatingPoint) {
    this.byteSize = byteSize;
    this.floatingPoint = floatingPoint;
  }

  /** Returns the size of one element in bytes. */
  public int byteSize() {
    return byteSize;
  }

  /** Returns whether this is a floating-point type (loaded as FLOAT32 by default). */
  public boolean isFloatingPoint() {
    return floatingPoint;
  }

  /**
   * Parses the {@code dtype} string of a safetensors header entry.
   *
   * @param name the dtype as written in the header, e.g. {@code "BF16"}
   * @param file the file being read, for the error message
   * @param tensor the tensor whose entry is being read, for the error message
   * @return the dtype
   * @throws ModelFormatException if the name is not one of this enum's constants
   */
  public static SafetensorsDType parse(String name, Path file, String tensor) {
    if (name != null) {
      for (SafetensorsDType t : values()) {
        if (t.name().equals(name)) {
          return t;
        }
      }
    }
    throw new ModelFormatException(
        file,
        tensor,
        "expected dtype one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL, found "
            + (name == null ? "null" : "'" + name + "'"));
  }
}

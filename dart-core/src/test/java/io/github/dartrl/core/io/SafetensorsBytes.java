package io.github.dartrl.core.io;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Hand-built safetensors files for tests, independent of {@link SafetensorsWriter}. */
final class SafetensorsBytes {
  private SafetensorsBytes() {}

  /** Writes {@code u64le(len(header)) + header + data} to {@code dir/name}. */
  static Path write(Path dir, String name, String header, byte[] data) throws IOException {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return write(dir, name, h.length, h, data);
  }

  /** Writes a file with an arbitrary (possibly lying) header length. */
  static Path write(Path dir, String name, long headerLength, byte[] header, byte[] data)
      throws IOException {
    ByteBuffer buf =
        ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    buf.putLong(headerLength).put(header).put(data);
    Path file = dir.resolve(name);
    Files.write(file, buf.array());
    return file;
  }

  /** Little-endian bytes of the given values, each {@code size} bytes wide. */
  static byte[] le(int size, long... values) {
    ByteBuffer buf = ByteBuffer.allocate(size * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      switch (size) {
        case 1 -> buf.put((byte) v);
        case 2 -> buf.putShort((short) v);
        case 4 -> buf.putInt((int) v);
        default -> buf.putLong(v);
      }
    }
    return buf.array();
  }

  static byte[] f32(float... values) {
    ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      buf.putFloat(v);
    }
    return buf.array();
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer buf = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      buf.put(p);
    }
    return buf.array();
  }

  /**
   * Asserts that {@code call} throws a {@link ModelFormatException} for {@code file} and {@code
   * field} whose message names both plus every fragment.
   */
  static void assertBad(Path file, String field, ThrowingCallable call, String... fragments) {
    var a =
        assertThatThrownBy(call)
            .isInstanceOf(ModelFormatException.class)
            .hasMessageContaining(file.getFileName().toString())
            .hasFieldOrPropertyWithValue("file", file)
            .hasFieldOrPropertyWithValue("field", field);
    if (field != null) {
      a.hasMessageContaining(field);
    }
    for (String f : fragments) {
      a.hasMessageContaining(f);
    }
  }
}

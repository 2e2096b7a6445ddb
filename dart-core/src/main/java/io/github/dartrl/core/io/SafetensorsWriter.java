package io.github.dartrl.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes NDArrays as a safetensors file that HF {@code safetensors}/{@code transformers} can read.
 *
 * <p>Floating-point arrays (FLOAT32, FLOAT16, FLOAT64) are stored as {@code storeAs} when that is
 * F32, F16 or BF16; narrowing to F16/BF16 rounds to nearest even, in Java (BF16 must not reach the
 * engine). INT32/INT64 arrays are stored as I32/I64: as {@code storeAs} if that is an integer type
 * (narrowing checks every value fits), else as their own type. Other array types are rejected.
 *
 * <p>The header lists tensors in the map's iteration order, data laid out in the same order, and is
 * padded with spaces to a multiple of 8 bytes as HF does, so the data is 8-byte aligned. The write
 * is atomic (see {@link AtomicFiles}): on any failure an existing file is left untouched.
 */
public final class SafetensorsWriter {
  /** Elements per conversion step; bounds the heap buffer to a few MB for any tensor size. */
  private static final int CHUNK = 1 << 20;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SafetensorsWriter() {}

  /**
   * Writes {@code tensors} to {@code file}, atomically replacing it.
   *
   * @param file the target path; its directory must exist
   * @param tensors name to array, in the order to write (use a {@code LinkedHashMap})
   * @param metadata written as {@code __metadata__} if non-empty; may be {@code null}
   * @param storeAs F32, F16 or BF16 for float arrays, or I64/I32 to convert integer arrays
   * @throws IllegalArgumentException for an unsupported {@code storeAs} or array type (detected
   *     before any file is created), or an integer that does not fit {@code storeAs} (detected
   *     while writing; the target is then unchanged)
   * @throws java.io.UncheckedIOException on I/O failure; the target is then unchanged
   */
  public static void write(
      Path file,
      Map<String, NDArray> tensors,
      Map<String, String> metadata,
      SafetensorsDType storeAs) {
    Objects.requireNonNull(file, "file");
    List<Entry> entries = new ArrayList<>(tensors.size());
    for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
      NDArray a = Objects.requireNonNull(e.getValue(), e.getKey());
      SafetensorsDType as = storedType(e.getKey(), a.getDataType(), storeAs);
      entries.add(new Entry(e.getKey(), as, a.getShape().getShape(), ch -> writeArray(a, as, ch)));
    }
    write(file, entries, metadata);
  }

  /**
   * The dtype an array of {@code type} is stored as under {@code storeAs}.
   *
   * @throws IllegalArgumentException if the combination is unsupported
   */
  static SafetensorsDType storedType(String name, DataType type, SafetensorsDType storeAs) {
    Objects.requireNonNull(storeAs, "storeAs");
    boolean floatTarget =
        storeAs == SafetensorsDType.F32
            || storeAs == SafetensorsDType.F16
            || storeAs == SafetensorsDType.BF16;
    boolean intTarget = storeAs == SafetensorsDType.I64 || storeAs == SafetensorsDType.I32;
    if (!floatTarget && !intTarget) {
      throw new IllegalArgumentException(
          "storeAs must be F32, F16, BF16, I64 or I32, found " + storeAs);
    }
    return switch (type) {
      case FLOAT32, FLOAT16, FLOAT64 -> {
        if (!floatTarget) {
          throw new IllegalArgumentException(
              "tensor '" + name + "' is " + type.name() + " and cannot be stored as " + storeAs);
        }
        yield storeAs;
      }
      case INT32 -> intTarget ? storeAs : SafetensorsDType.I32;
      case INT64 -> intTarget ? storeAs : SafetensorsDType.I64;
      default ->
          throw new IllegalArgumentException(
              "tensor '"
                  + name
                  + "' has unsupported type "
                  + type.name()
                  + "; expected FLOAT32, FLOAT16, FLOAT64, INT32 or INT64");
    };
  }

  /** One tensor to write: its header entry and a function that streams its bytes. */
  record Entry(String name, SafetensorsDType dtype, long[] shape, Data data) {
    long byteLength() {
      long n = dtype.byteSize();
      for (long d : shape) {
        n = Math.multiplyExact(n, d);
      }
      return n;
    }
  }

  /** Streams exactly {@link Entry#byteLength()} little-endian bytes. */
  @FunctionalInterface
  interface Data {
    void writeTo(WritableByteChannel channel) throws IOException;
  }

  /** Writes prepared entries; the core of {@link #write(Path, Map, Map, SafetensorsDType)}. */
  static void write(Path file, List<Entry> entries, Map<String, String> metadata) {
    byte[] header = header(entries, metadata);
    AtomicFiles.writeChannel(
        file,
        ch -> {
          ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
          prefix.putLong(header.length).flip();
          writeFully(ch, prefix);
          writeFully(ch, ByteBuffer.wrap(header));
          for (Entry e : entries) {
            long before = ch.position();
            e.data().writeTo(ch);
            if (ch.position() - before != e.byteLength()) {
              throw new IOException(
                  "tensor '" + e.name() + "' wrote " + (ch.position() - before) + " bytes");
            }
          }
        });
  }

  /** Builds the JSON header, padded with spaces so the data section starts 8-byte aligned. */
  static byte[] header(List<Entry> entries, Map<String, String> metadata) {
    ObjectNode root = MAPPER.createObjectNode();
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = root.putObject(SafetensorsHeader.METADATA_KEY);
      metadata.forEach(meta::put);
    }
    long offset = 0;
    for (Entry e : entries) {
      if (SafetensorsHeader.METADATA_KEY.equals(e.name())) {
        throw new IllegalArgumentException("tensor name '__metadata__' is reserved");
      }
      ObjectNode t = root.putObject(e.name());
      t.put("dtype", e.dtype().name());
      ArrayNode shape = t.putArray("shape");
      for (long d : e.shape()) {
        shape.add(d);
      }
      long end = offset + e.byteLength();
      t.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json;
    try {
      json = MAPPER.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise header", e);
    }
    int padded = (json.length + 7) / 8 * 8;
    byte[] out = new byte[padded];
    System.arraycopy(json, 0, out, 0, json.length);
    for (int i = json.length; i < padded; i++) {
      out[i] = ' ';
    }
    return out;
  }

  /** Streams an array chunk by chunk, converting each chunk to the stored type. */
  static void writeArray(NDArray array, SafetensorsDType as, WritableByteChannel ch)
      throws IOException {
    long n = array.size();
    if (n == 0) {
      return;
    }
    ByteBuffer out = ByteBuffer.allocate((int) Math.min(n, CHUNK) * as.byteSize());
    out.order(ByteOrder.LITTLE_ENDIAN);
    try (NDScope scope = new NDScope()) { // closes the flat view and every chunk
      scope.suppressNotUsedWarning();
      NDArray flat = array.reshape(-1);
      for (long start = 0; start < n; start += CHUNK) {
        long end = Math.min(n, start + CHUNK);
        NDArray part = flat.get(new NDIndex().addSliceDim(start, end));
        out.clear();
        encode(part, as, out);
        out.flip();
        writeFully(ch, out);
      }
    }
  }

  private static void encode(NDArray part, SafetensorsDType as, ByteBuffer out) {
    switch (as) {
      case F32, F16, BF16 -> {
        NDArray f =
            part.getDataType() == DataType.FLOAT32 ? part : part.toType(DataType.FLOAT32, false);
        for (float v : f.toFloatArray()) {
          switch (as) {
            case F32 -> out.putFloat(v);
            case F16 -> out.putShort(HalfFloats.floatToF16(v));
            default -> out.putShort(HalfFloats.floatToBf16(v));
          }
        }
      }
      case I64 -> {
        for (long v : longs(part)) {
          out.putLong(v);
        }
      }
      case I32 -> {
        for (long v : longs(part)) {
          if (v != (int) v) {
            throw new IllegalArgumentException("value " + v + " does not fit I32");
          }
          out.putInt((int) v);
        }
      }
      default -> throw new IllegalStateException("unreachable: " + as);
    }
  }

  private static long[] longs(NDArray part) {
    if (part.getDataType() == DataType.INT64) {
      return part.toLongArray();
    }
    int[] ints = part.toIntArray();
    long[] out = new long[ints.length];
    for (int i = 0; i < ints.length; i++) {
      out[i] = ints[i];
    }
    return out;
  }

  private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}

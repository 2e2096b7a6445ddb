package io.github.dartrl.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Turns the bytes of one tensor of an open safetensors file into a libtorch-owned {@link NDArray}.
 *
 * <p>Memory discipline (see djl.md gotcha 12): an array created from a Java buffer keeps that
 * buffer as its storage. So every array is first created over a temporary buffer, then {@code
 * duplicate()}d, which makes libtorch copy it into memory it owns, and the temporary is closed. The
 * file is read with positional reads into two bounded direct scratch buffers per file (8 MiB of raw
 * bytes, 8 MiB converted), never memory-mapped: pages of a mapping count in the process's resident
 * set until the garbage collector unmaps the buffer, so mapping a 1 GB bf16 shard while widening it
 * into 2 GB of fp32 used to add the whole shard to the peak. Tensors larger than one chunk are
 * assembled chunk by chunk into a pre-allocated array.
 */
final class TensorReader {
  /** Elements converted per step; bounds the direct scratch buffer to 8 MiB. */
  static final int DEFAULT_CONVERT_CHUNK = 1 << 20;

  /** Bytes read per step on the same-type path (further bounded by the scratch buffer). */
  static final long DEFAULT_MAP_CHUNK = 1L << 30;

  private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

  private final Path file;
  private final FileChannel channel;
  private final long dataStart;
  private final int convertChunk;
  private final long mapChunk;
  private ByteBuffer scratch; // guarded by this; allocated on first read
  private ByteBuffer input; // guarded by this; raw bytes of one chunk

  TensorReader(Path file, FileChannel channel, long dataStart, int convertChunk, long mapChunk) {
    this.file = file;
    this.channel = channel;
    this.dataStart = dataStart;
    this.convertChunk = convertChunk;
    this.mapChunk = mapChunk;
  }

  /**
   * The DJL type an array of {@code dtype} is loaded as when no conversion is asked for. BF16 and
   * I16 are widened because the PyTorch engine aborts the JVM on both DJL types.
   */
  static DataType rawType(SafetensorsDType dtype) {
    return switch (dtype) {
      case F64 -> DataType.FLOAT64;
      case F32, BF16 -> DataType.FLOAT32;
      case F16 -> DataType.FLOAT16;
      case I64 -> DataType.INT64;
      case I32, I16 -> DataType.INT32;
      case I8 -> DataType.INT8;
      case U8 -> DataType.UINT8;
      case BOOL -> DataType.BOOLEAN;
    };
  }

  /** Drops the scratch buffer so its direct memory can be reclaimed once the file is closed. */
  synchronized void release() {
    scratch = null;
    input = null;
  }

  /** Maps a byte range of the data section, read-only and little-endian. */
  ByteBuffer map(long begin, long length) {
    try {
      return channel
          .map(FileChannel.MapMode.READ_ONLY, dataStart + begin, length)
          .order(ByteOrder.LITTLE_ENDIAN);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot map " + file, e);
    }
  }

  /** Loads {@code t} as an array of {@code target} type (a widening of its stored type). */
  NDArray read(TensorInfo t, DataType target, NDManager manager) {
    Shape shape = new Shape(t.shape());
    long n = t.numel();
    NDArray result;
    if (n == 0) {
      result = manager.zeros(shape, target);
    } else {
      synchronized (this) {
        result = readChunked(t, shape, n, target, manager);
      }
    }
    result.setName(t.name());
    return result;
  }

  /** Reads (and converts or byte-swaps) in Java through the scratch buffers. */
  private NDArray readChunked(
      TensorInfo t, Shape shape, long n, DataType target, NDManager manager) {
    if (scratch == null) {
      scratch = ByteBuffer.allocateDirect(convertChunk * 8).order(ByteOrder.nativeOrder());
      input = ByteBuffer.allocateDirect(convertChunk * 8).order(ByteOrder.LITTLE_ENDIAN);
    }
    int size = t.dtype().byteSize();
    boolean same =
        rawType(t.dtype()) == target
            && t.dtype() != SafetensorsDType.BF16
            && t.dtype() != SafetensorsDType.I16
            && LITTLE_ENDIAN;
    long chunk = same ? Math.max(1, Math.min(mapChunk / size, convertChunk)) : convertChunk;
    ChunkSource source =
        (start, len) -> {
          ByteBuffer src = readAt(t.begin() + start * size, (int) (len * size));
          if (same) {
            return src;
          }
          scratch.clear();
          convert(t.dtype(), target, src, scratch, (int) len);
          scratch.flip();
          return scratch;
        };
    if (n <= chunk) {
      return ownedCopy(source.chunk(0, n), shape, target, manager);
    }
    return assemble(shape, n, chunk, target, manager, source);
  }

  /** Reads {@code length} bytes of the data section at {@code begin} into the input buffer. */
  private ByteBuffer readAt(long begin, int length) {
    input.clear().limit(length);
    try {
      long at = dataStart + begin;
      while (input.hasRemaining()) {
        int r = channel.read(input, at + input.position());
        if (r < 0) {
          throw new ModelFormatException(file, null, "unexpected end of file at byte " + at);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return input.flip();
  }

  @FunctionalInterface
  private interface ChunkSource {
    /** Returns a direct buffer with elements {@code [start, start + len)} in native layout. */
    ByteBuffer chunk(long start, long len);
  }

  /** Fills a pre-allocated flat array chunk by chunk, then views it with the tensor's shape. */
  private static NDArray assemble(
      Shape shape, long n, long chunk, DataType target, NDManager manager, ChunkSource source) {
    NDArray flat = manager.create(new Shape(n), target); // uninitialised, owned by libtorch
    try {
      for (long start = 0; start < n; start += chunk) {
        long len = Math.min(chunk, n - start);
        try (NDArray part = manager.create(source.chunk(start, len), new Shape(len), target)) {
          flat.set(new NDIndex().addSliceDim(start, start + len), part);
        }
      }
      return flat.reshape(shape); // a view of the same storage; the flat handle is released below
    } finally {
      flat.close();
    }
  }

  /** Creates a temporary over {@code buf}, lets libtorch copy it, and releases the temporary. */
  private static NDArray ownedCopy(ByteBuffer buf, Shape shape, DataType type, NDManager manager) {
    try (NDArray temp = manager.create(buf, shape, type)) {
      return temp.duplicate();
    }
  }

  /** Converts {@code count} little-endian elements of {@code from} into native-order {@code to}. */
  private static void convert(
      SafetensorsDType from, DataType to, ByteBuffer src, ByteBuffer dst, int count) {
    switch (from) {
      case BF16 -> {
        for (int i = 0; i < count; i++) {
          dst.putFloat(HalfFloats.bf16ToFloat(src.getShort()));
        }
      }
      case F16 -> {
        if (to == DataType.FLOAT16) {
          copy(src, dst, count, 2);
        } else {
          for (int i = 0; i < count; i++) {
            dst.putFloat(HalfFloats.f16ToFloat(src.getShort()));
          }
        }
      }
      case F64 -> {
        if (to == DataType.FLOAT64) {
          copy(src, dst, count, 8);
        } else {
          for (int i = 0; i < count; i++) {
            dst.putFloat((float) src.getDouble()); // round to nearest, as torch's .float()
          }
        }
      }
      case I16 -> {
        for (int i = 0; i < count; i++) {
          dst.putInt(src.getShort());
        }
      }
      default -> copy(src, dst, count, from.byteSize());
    }
  }

  /** Same-type copy; swaps bytes on a big-endian host, realigns on an unaligned offset. */
  private static void copy(ByteBuffer src, ByteBuffer dst, int count, int size) {
    switch (size) {
      case 1 -> dst.put(src.limit(src.position() + count));
      case 2 -> {
        for (int i = 0; i < count; i++) {
          dst.putShort(src.getShort());
        }
      }
      case 4 -> {
        for (int i = 0; i < count; i++) {
          dst.putInt(src.getInt());
        }
      }
      default -> {
        for (int i = 0; i < count; i++) {
          dst.putLong(src.getLong());
        }
      }
    }
  }
}

package io.github.dartrl.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validating, memory-mapped reader of one <a
 * href="https://github.com/huggingface/safetensors">safetensors</a> file.
 *
 * <p>Layout: an unsigned 64-bit little-endian header length {@code N}, {@code N} bytes of UTF-8
 * JSON mapping tensor names to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (plus an
 * optional {@code "__metadata__"} string map), then the raw little-endian data. The whole header is
 * validated by {@link #open}; every defect is reported as a {@link ModelFormatException} naming the
 * file and the tensor or field. Tensor data never passes through the Java heap: each load maps the
 * tensor's byte range, so files and tensors larger than 2 GiB work (DJL's own {@code NDList.decode}
 * cannot, and aborts the JVM on BF16).
 *
 * <p>Validation is as strict as the format needs and no stricter: gaps between tensors and unused
 * trailing bytes are accepted (the reference Rust implementation rejects them), overlapping ranges
 * are not. I/O failures other than a malformed file surface as {@link UncheckedIOException}.
 * Instances are safe to share between threads; mapped regions already handed out by {@link #raw}
 * stay valid after {@link #close}.
 */
public final class SafetensorsFile implements AutoCloseable {
  /** Largest header accepted; real checkpoints have headers of a few hundred KB. */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  private final Path path;
  private final FileChannel channel;
  private final SafetensorsHeader header;
  private final Map<String, TensorInfo> byName = new LinkedHashMap<>();
  private final TensorReader reader;
  private volatile boolean closed;

  private SafetensorsFile(
      Path path, FileChannel channel, SafetensorsHeader header, TensorReader r) {
    this.path = path;
    this.channel = channel;
    this.header = header;
    this.reader = r;
    for (TensorInfo t : header.tensors()) {
      byName.put(t.name(), t);
    }
  }

  /**
   * Opens and validates a safetensors file.
   *
   * @param file the {@code .safetensors} file
   * @return the open file; close it to release the file handle
   * @throws ModelFormatException if the file is missing, truncated or its header is invalid
   * @throws UncheckedIOException on other I/O errors
   */
  public static SafetensorsFile open(Path file) {
    return open(file, TensorReader.DEFAULT_CONVERT_CHUNK, TensorReader.DEFAULT_MAP_CHUNK);
  }

  /** Opens with explicit chunk sizes, so tests can exercise the chunked path on small tensors. */
  static SafetensorsFile open(Path file, int convertChunk, long mapChunk) {
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new ModelFormatException(file, null, "expected a safetensors file, found none", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
    try {
      long headerLength = checkedHeaderLength(file, channel);
      byte[] json = readFully(channel, 8, (int) headerLength);
      long dataLength = channel.size() - 8 - headerLength;
      SafetensorsHeader header = SafetensorsHeader.parse(json, dataLength, file);
      TensorReader reader =
          new TensorReader(file, channel, 8 + headerLength, convertChunk, mapChunk);
      return new SafetensorsFile(file, channel, header, reader);
    } catch (IOException e) {
      closeQuietly(channel, e);
      throw new UncheckedIOException("cannot read " + file, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(channel, e);
      throw e;
    }
  }

  /** Reads the u64 header length and checks it against a fixed bound and the file size. */
  private static long checkedHeaderLength(Path file, FileChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw new ModelFormatException(
          file,
          "header length",
          "expected at least 8 bytes (the u64 header length), found a file of " + size + " bytes");
    }
    long length =
        ByteBuffer.wrap(readFully(channel, 0, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (length < 0 || length > MAX_HEADER_BYTES) { // negative: a u64 above 2^63, absurd as well
      throw new ModelFormatException(
          file,
          "header length",
          "expected a header length of at most "
              + MAX_HEADER_BYTES
              + " bytes, found "
              + Long.toUnsignedString(length));
    }
    if (length > size - 8) {
      throw new ModelFormatException(
          file,
          "header length",
          "expected a header length of at most "
              + (size - 8)
              + " bytes (file size minus 8), found "
              + length
              + ": the file is truncated or not safetensors");
    }
    return length;
  }

  private static byte[] readFully(FileChannel channel, long position, int length)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, position + buf.position()) < 0) {
        throw new EOFException("file shrank while reading");
      }
    }
    return buf.array();
  }

  private static void closeQuietly(FileChannel channel, Throwable primary) {
    try {
      channel.close();
    } catch (IOException suppressed) {
      primary.addSuppressed(suppressed);
    }
  }

  /** Returns the path this file was opened from. */
  public Path path() {
    return path;
  }

  /** Returns the {@code __metadata__} string map (empty if absent), unmodifiable. */
  public Map<String, String> metadata() {
    return header.metadata();
  }

  /** Returns every tensor entry, ordered by data offset (file order), unmodifiable. */
  public List<TensorInfo> tensors() {
    return header.tensors();
  }

  /** Returns the entry of tensor {@code name}, if present. */
  public Optional<TensorInfo> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Returns the entry of tensor {@code name}.
   *
   * @throws ModelFormatException naming this file and the tensor if it is absent
   */
  public TensorInfo info(String name) {
    TensorInfo t = byName.get(name);
    if (t == null) {
      throw new ModelFormatException(
          path, name, "expected a tensor with this name, found none among " + byName.size());
    }
    return t;
  }

  /**
   * Loads a tensor for computation: floating-point tensors (F64, F32, F16, BF16) come back as
   * FLOAT32, converted in Java (BF16 never reaches the engine, where it would abort the JVM; F64 is
   * rounded to nearest); integer and boolean tensors come back as by {@link #loadRaw}.
   *
   * <p>The array is attached to {@code manager} and owned by libtorch (no Java buffer keeps it
   * alive); close it or its manager to free it.
   *
   * @throws ModelFormatException if the tensor is absent
   */
  public NDArray load(String name, NDManager manager) {
    TensorInfo t = info(name);
    if (!t.dtype().isFloatingPoint()) {
      return loadRaw(name, manager);
    }
    return checkOpen().read(t, DataType.FLOAT32, manager);
  }

  /**
   * Loads a tensor in its stored type: F64, F32, F16, I64, I32, I8, U8 and BOOL map to the DJL type
   * of the same name. BF16 is widened to FLOAT32 and I16 to INT32, because the PyTorch engine
   * aborts the JVM on DJL's BFLOAT16 and INT16.
   *
   * @throws ModelFormatException if the tensor is absent
   */
  public NDArray loadRaw(String name, NDManager manager) {
    TensorInfo t = info(name);
    return checkOpen().read(t, TensorReader.rawType(t.dtype()), manager);
  }

  /**
   * Returns the stored bytes of a tensor: a read-only, little-endian, memory-mapped buffer.
   *
   * @throws ModelFormatException if the tensor is absent
   * @throws UnsupportedOperationException if the tensor is 2 GiB or larger (a {@link ByteBuffer}
   *     cannot address it; use {@link #load} instead)
   */
  public ByteBuffer raw(String name) {
    TensorInfo t = info(name);
    if (t.byteLength() > Integer.MAX_VALUE) {
      throw new UnsupportedOperationException(
          path + " [" + name + "]: " + t.byteLength() + " bytes do not fit one ByteBuffer");
    }
    return checkOpen().map(t.begin(), t.byteLength());
  }

  private TensorReader checkOpen() {
    if (closed) {
      throw new IllegalStateException(path + " is closed");
    }
    return reader;
  }

  /** Closes the file handle. Arrays already loaded are independent of the file. */
  @Override
  public void close() {
    closed = true;
    reader.release();
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + path, e);
    }
  }

  @Override
  public String toString() {
    return "SafetensorsFile[" + path + ", " + byName.size() + " tensors]";
  }
}

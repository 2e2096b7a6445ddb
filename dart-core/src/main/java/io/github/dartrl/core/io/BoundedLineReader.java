package io.github.dartrl.core.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads UTF-8 lines with a bound on their length, so one enormous line (a corrupt file, a binary
 * file passed by mistake) fails fast instead of exhausting the heap. Lines are split on bytes and
 * decoded one by one, so a decoding error names its own line (a {@code Reader} decodes ahead, and
 * would blame the line being read when its buffer was filled).
 *
 * <p>The project's one line reader: QA datasets and retrieval corpora both read through it, each
 * turning a failure into its own typed exception through a {@link Failure}.
 */
public final class BoundedLineReader implements Closeable {

  /** Turns a failure at a line into the caller's exception (which names the file). */
  @FunctionalInterface
  public interface Failure {
    /**
     * The exception to throw.
     *
     * @param line the 1-based line number
     * @param reason what was expected and what was found
     * @param cause the underlying error, or null
     * @return the exception
     */
    RuntimeException at(long line, String reason, Throwable cause);
  }

  private final InputStream in;
  private final int maxBytes;
  private final String tooLongReason;
  private final Failure failure;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
  private final byte[] readBuffer = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] lineBuffer = new byte[8192];
  private long lineNumber;

  /**
   * Reads from {@code in}, which the reader owns (closing the reader closes it).
   *
   * @param in the (already decompressed) bytes
   * @param maxBytes the longest line accepted, in bytes (without its terminator)
   * @param tooLongReason the reason given for a line longer than {@code maxBytes}
   * @param failure how a failure becomes the caller's exception
   */
  public BoundedLineReader(InputStream in, int maxBytes, String tooLongReason, Failure failure) {
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
    }
    this.in = in;
    this.maxBytes = maxBytes;
    this.tooLongReason = tooLongReason;
    this.failure = failure;
  }

  /** The number of lines returned so far. */
  public long lineNumber() {
    return lineNumber;
  }

  /**
   * The next line without its terminator ({@code \n} or {@code \r\n}) and, on the first line,
   * without a byte-order mark; null at the end.
   *
   * @throws RuntimeException from the {@link Failure} when the line is longer than the bound, not
   *     UTF-8, or a gzip stream below ends early
   * @throws IOException when reading fails
   */
  public String readLine() throws IOException {
    int length = 0;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        limit = fill();
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          if (!any) {
            return null;
          }
          break;
        }
      }
      any = true;
      int start = pos;
      while (pos < limit && readBuffer[pos] != '\n') {
        pos++;
      }
      int n = pos - start;
      // One byte of slack for a '\r' that the terminator will remove.
      if ((long) length + n > maxBytes + 1L) {
        throw tooLong(lineNumber + 1);
      }
      if (length + n > lineBuffer.length) {
        lineBuffer = Arrays.copyOf(lineBuffer, Math.max(lineBuffer.length * 2, length + n));
      }
      System.arraycopy(readBuffer, start, lineBuffer, length, n);
      length += n;
      if (pos < limit) {
        pos++; // the newline
        break;
      }
    }
    lineNumber++;
    if (length > 0 && lineBuffer[length - 1] == '\r') {
      length--;
    }
    if (length > maxBytes) {
      throw tooLong(lineNumber);
    }
    String line;
    try {
      // newDecoder() reports malformed input instead of replacing it with U+FFFD.
      line = decoder.decode(ByteBuffer.wrap(lineBuffer, 0, length)).toString();
    } catch (CharacterCodingException e) {
      throw failure.at(lineNumber, "not valid UTF-8", e);
    }
    if (lineNumber == 1 && line.startsWith("\uFEFF")) {
      line = line.substring(1);
    }
    return line;
  }

  /**
   * Reads the next block. A {@code .gz} file that ends early or holds corrupt data fails inside the
   * decompressor with a bare {@link EOFException} or {@link ZipException}; name the file and line.
   */
  private int fill() throws IOException {
    try {
      return in.read(readBuffer);
    } catch (EOFException | ZipException e) {
      throw failure.at(
          lineNumber + 1,
          "expected more compressed data, found a truncated or corrupt gzip stream ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private RuntimeException tooLong(long line) {
    return failure.at(line, tooLongReason, null);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

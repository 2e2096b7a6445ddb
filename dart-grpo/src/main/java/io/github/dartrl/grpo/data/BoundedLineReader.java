package io.github.dartrl.grpo.data;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * Reads UTF-8 lines with a bound on their length, so one enormous line (a corrupt file, a binary
 * file passed by mistake) fails fast instead of exhausting the heap. Lines are split on bytes and
 * decoded one by one, so a decoding error names its own line.
 */
final class BoundedLineReader implements Closeable {

  private final Path file;
  private final InputStream in;
  private final int maxBytes;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
  private final byte[] readBuffer = new byte[1 << 16];
  private int pos;
  private int limit;
  private byte[] lineBuffer = new byte[8192];
  private long lineNumber;

  BoundedLineReader(Path file, InputStream in, int maxBytes) {
    this.file = file;
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The number of lines returned so far. */
  long lineNumber() {
    return lineNumber;
  }

  /**
   * The next line without its terminator ({@code \n} or {@code \r\n}) and, on the first line,
   * without a byte-order mark; null at the end.
   *
   * @throws DatasetFormatException when the line is longer than the bound or not UTF-8
   */
  String readLine() throws IOException {
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
      if (length + n > maxBytes + 1) {
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
      throw new DatasetFormatException(file, lineNumber, null, "not valid UTF-8", e);
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
      throw new DatasetFormatException(
          file,
          lineNumber + 1,
          null,
          "expected more compressed data, found a truncated or corrupt gzip stream ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private DatasetFormatException tooLong(long line) {
    return new DatasetFormatException(
        file, line, null, "line longer than " + maxBytes + " bytes (is this a JSONL file?)", null);
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}

package io.github.dartrl.grpo.retrieval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.dartrl.core.io.BoundedLineReader;
import io.github.dartrl.core.io.UntrustedJson;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a corpus JSONL file one passage at a time.
 *
 * <p>Each non-blank line is a JSON object in one of two forms:
 *
 * <ul>
 *   <li>Search-R1 / FlashRAG: {@code {"id": "0", "contents": "\"Title\"\ntext"}};
 *   <li>plain: {@code {"id": "0", "title": "Title", "text": "text"}} ({@code title} optional),
 *       turned into the {@code contents} form.
 * </ul>
 *
 * <p>{@code id} may be a JSON string or number. Other fields are ignored. Blank lines are skipped.
 * Files ending in {@code .gz} are decompressed. The file must be UTF-8; any bad line stops the read
 * with a {@link CorpusFormatException} naming the file and line, because silently skipping passages
 * would change what the agent can find.
 */
public final class CorpusReader implements Closeable {

  /**
   * One passage of the corpus.
   *
   * @param line the 1-based line number it came from
   * @param id the corpus id
   * @param contents the Search-R1 {@code contents} string, {@code "\"Title\"\ntext"}
   */
  public record Document(long line, String id, String contents) {}

  // Trailing tokens mean two objects glued on one line: a broken file, not something to skip.
  private static final ObjectReader JSON =
      UntrustedJson.newMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).reader();

  /**
   * The default bound on a line's length: 8 MiB, far above any passage of the usual corpora (the
   * Wikipedia dumps of Search-R1 have lines of about 1 KB), low enough that a binary file passed by
   * mistake fails at once instead of exhausting the heap.
   */
  public static final int DEFAULT_MAX_LINE_BYTES = 8 << 20;

  private final Path file;
  private final BoundedLineReader lines;
  private long lineNumber;

  private CorpusReader(Path file, InputStream in, int maxLineBytes) {
    this.file = file;
    this.lines =
        new BoundedLineReader(
            in,
            maxLineBytes,
            "expected a line of at most " + maxLineBytes + " bytes (is this a corpus JSONL file?)",
            (line, reason, cause) -> new CorpusFormatException(file, line, reason, cause));
  }

  /**
   * Opens a corpus file with the default line bound ({@value #DEFAULT_MAX_LINE_BYTES} bytes).
   *
   * @throws CorpusFormatException when a {@code .gz} file is not gzip
   * @throws IOException when the file cannot be opened
   */
  public static CorpusReader open(Path file) throws IOException {
    return open(file, DEFAULT_MAX_LINE_BYTES);
  }

  /**
   * Opens a corpus file.
   *
   * @param maxLineBytes the longest line accepted, in bytes
   * @throws CorpusFormatException when a {@code .gz} file is not gzip
   * @throws IOException when the file cannot be opened
   */
  public static CorpusReader open(Path file, int maxLineBytes) throws IOException {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be >= 1, got " + maxLineBytes);
    }
    InputStream in = Files.newInputStream(file);
    try {
      if (file.getFileName().toString().endsWith(".gz")) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      return new CorpusReader(file, in, maxLineBytes);
    } catch (EOFException | ZipException e) {
      in.close();
      throw new CorpusFormatException(
          file, 1, "expected a gzip file (the name ends in .gz), found " + e.getMessage(), e);
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  /** The corpus file. */
  public Path file() {
    return file;
  }

  /** The number of lines read so far (including blank ones). */
  public long lineNumber() {
    return lineNumber;
  }

  /**
   * Reads the next passage.
   *
   * @return the passage, or null at the end of the file
   * @throws CorpusFormatException when a line is not a valid passage, or not UTF-8
   * @throws IOException when reading fails
   */
  public Document next() throws IOException {
    while (true) {
      String line = lines.readLine();
      lineNumber = lines.lineNumber();
      if (line == null) {
        return null;
      }
      if (!line.isBlank()) {
        return parse(line);
      }
    }
  }

  private Document parse(String line) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new CorpusFormatException(
          file, lineNumber, "malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw fail("expected a JSON object, got " + describe(node));
    }
    JsonNode id = node.get("id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
      throw fail("missing \"id\" (a string or integer), got " + describe(id));
    }
    if (id.asText().isEmpty()) {
      throw fail("\"id\" is empty");
    }
    JsonNode contents = node.get("contents");
    if (contents != null && !contents.isNull()) {
      if (!contents.isTextual()) {
        throw fail("\"contents\" must be a string, got " + describe(contents));
      }
      return new Document(lineNumber, id.asText(), contents.asText());
    }
    JsonNode text = node.get("text");
    if (text == null || !text.isTextual()) {
      throw fail("needs \"contents\" or \"text\" (a string), got " + describe(text));
    }
    JsonNode title = node.get("title");
    if (title != null && !title.isNull() && !title.isTextual()) {
      throw fail("\"title\" must be a string, got " + describe(title));
    }
    String titleText = title == null || title.isNull() ? "" : title.asText();
    return new Document(lineNumber, id.asText(), "\"" + titleText + "\"\n" + text.asText());
  }

  private CorpusFormatException fail(String reason) {
    return new CorpusFormatException(file, lineNumber, reason, null);
  }

  private static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return node.getNodeType().toString().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}

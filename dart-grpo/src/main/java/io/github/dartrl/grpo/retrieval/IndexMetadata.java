package io.github.dartrl.grpo.retrieval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.io.UntrustedJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@value #FILE_NAME} file that {@link Bm25IndexBuilder} writes last into a finished index. Its
 * presence says the build completed; {@link LuceneBm25Retriever#open} checks that its document
 * count matches the index.
 *
 * @param format always {@value #FORMAT}
 * @param formatVersion the version of this file's layout, {@value #FORMAT_VERSION}
 * @param docCount the number of indexed passages
 * @param corpus the absolute path of the corpus the index was built from
 * @param k1 the BM25 {@code k1} searches use unless told otherwise
 * @param b the BM25 {@code b} searches use unless told otherwise
 * @param analyzer the analyzer of the {@code contents} field, {@code "english"}
 * @param luceneVersion the Lucene version that wrote the index
 * @param createdAt ISO-8601 instant the build finished
 */
public record IndexMetadata(
    String format,
    int formatVersion,
    long docCount,
    String corpus,
    double k1,
    double b,
    String analyzer,
    String luceneVersion,
    String createdAt) {

  /** The file name inside the index directory. */
  public static final String FILE_NAME = "dart4j-index.json";

  /** The value of {@link #format()}. */
  public static final String FORMAT = "dart4j-bm25";

  /** The value of {@link #formatVersion()} this code writes and reads. */
  public static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      UntrustedJson.newMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          // Newer dart4j versions may add fields; an older reader should still open the index.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Validates required fields. */
  public IndexMetadata {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(corpus, "corpus");
    Objects.requireNonNull(analyzer, "analyzer");
  }

  /** The BM25 parameters recorded at build time. */
  public Bm25Params params() {
    return new Bm25Params(k1, b);
  }

  /** Writes this record as {@value #FILE_NAME} into {@code dir}. */
  public void write(Path dir) throws IOException {
    byte[] json = JSON.writeValueAsBytes(this);
    AtomicFiles.write(dir.resolve(FILE_NAME), out -> out.write(json));
  }

  /**
   * Jackson's message without its "Source: ..." part, with the field path and the position: e.g.
   * {@code field "doc_count": Cannot deserialize value of type `long` from String "x" (line 1,
   * column 40)}.
   */
  private static String describe(JsonProcessingException e) {
    StringBuilder m = new StringBuilder();
    if (e instanceof JsonMappingException jm && !jm.getPath().isEmpty()) {
      StringBuilder path = new StringBuilder();
      for (var ref : jm.getPath()) {
        if (ref.getFieldName() != null) {
          path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      m.append("field \"").append(path).append("\": ");
    }
    m.append(e.getOriginalMessage());
    if (e.getLocation() != null) {
      m.append(" (line ")
          .append(e.getLocation().getLineNr())
          .append(", column ")
          .append(e.getLocation().getColumnNr())
          .append(')');
    }
    return m.toString();
  }

  /**
   * Reads {@value #FILE_NAME} from {@code dir}.
   *
   * @return empty when the file does not exist (an index built by another tool)
   * @throws RetrieverException when the file exists but is unreadable or of another format
   */
  public static Optional<IndexMetadata> read(Path dir) {
    Path file = dir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    IndexMetadata meta;
    try {
      meta = JSON.readValue(file.toFile(), IndexMetadata.class);
    } catch (JsonProcessingException e) {
      throw new RetrieverException("cannot read " + file + ": " + describe(e), e);
    } catch (IOException | RuntimeException e) {
      throw new RetrieverException("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (meta == null) {
      throw new RetrieverException("cannot read " + file + ": expected a JSON object, found null");
    }
    if (!FORMAT.equals(meta.format()) || meta.formatVersion() != FORMAT_VERSION) {
      throw new RetrieverException(
          file
              + " has format "
              + meta.format()
              + " v"
              + meta.formatVersion()
              + "; this dart4j reads "
              + FORMAT
              + " v"
              + FORMAT_VERSION);
    }
    return Optional.of(meta);
  }
}

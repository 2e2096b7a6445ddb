package io.github.dartrl.grpo.data;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.io.BoundedLineReader;
import io.github.dartrl.core.io.UntrustedJson;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QA dataset in memory, read from and written to FlashRAG / Search-R1 JSONL.
 *
 * <p>Each non-blank line is one JSON object:
 *
 * <pre>{"id": "train_0", "question": "...", "golden_answers": ["...", "..."], "data_source": "nq"}
 * </pre>
 *
 * <ul>
 *   <li>{@code id}: a string or an integer (kept as its decimal text); unique in the file.
 *   <li>{@code question}: a non-blank string of at most {@value #MAX_QUESTION_CHARS} characters.
 *   <li>{@code golden_answers}: a non-empty array of non-blank strings, or one such string (some
 *       converted datasets store a single answer that way). When {@code golden_answers} is absent
 *       or null, {@code answers} and then {@code answer} are accepted in its place, in the same
 *       forms (HotpotQA- and TriviaQA-style files); an alias that is not used stays in {@link
 *       QaExample#extra()}.
 *   <li>{@code data_source}: optional string; {@value QaExample#UNKNOWN_SOURCE} when absent.
 *   <li>any other field (FlashRAG's {@code metadata}, ...) is kept in {@link QaExample#extra()}.
 * </ul>
 *
 * <p>Blank lines are skipped; a UTF-8 byte-order mark is ignored; files ending in {@code .gz} are
 * decompressed. Anything else stops the read with a {@link DatasetFormatException} naming the file,
 * line and field: a dataset that silently loses questions changes what a run means.
 */
public final class QaDataset {

  /** The default bound on a line's length: 1 MiB. */
  public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

  /**
   * The longest question accepted, in characters. Real questions are under a thousand; one of
   * hundreds of kilobytes cannot fit any model's context and would otherwise fail much later
   * (tokenizing or generating) without naming its line.
   */
  public static final int MAX_QUESTION_CHARS = 1 << 16;

  private static final Logger LOG = LoggerFactory.getLogger(QaDataset.class);

  // Two objects on one line or a repeated key mean a broken file, not something to guess about.
  private static final ObjectMapper JSON =
      UntrustedJson.newMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private static final List<String> ANSWER_FIELDS = List.of("golden_answers", "answers", "answer");

  private final List<QaExample> examples;

  private QaDataset(List<QaExample> examples) {
    this.examples = examples;
  }

  /**
   * A dataset of the given examples.
   *
   * @throws IllegalArgumentException when the list is empty or two examples share an id
   */
  public static QaDataset of(List<QaExample> examples) {
    List<QaExample> copy = List.copyOf(examples);
    checkWritable(copy);
    return new QaDataset(copy);
  }

  /**
   * Parses one JSONL line as {@link #readJsonl} does (readers of other storage, e.g. Spark's, use
   * it so every source gives the same examples).
   *
   * @param file names the source in errors
   * @param line the 1-based line number, for errors
   * @throws DatasetFormatException when the line is not a valid example
   */
  public static QaExample parseLine(Path file, long line, String json) {
    return new LineParser(file, line).parse(json);
  }

  /** Reads a JSONL file with the default line bound ({@value #DEFAULT_MAX_LINE_BYTES} bytes). */
  public static QaDataset readJsonl(Path file) throws IOException {
    return readJsonl(file, DEFAULT_MAX_LINE_BYTES);
  }

  /**
   * Reads a JSONL file.
   *
   * @param file the file ({@code .gz} is decompressed)
   * @param maxLineBytes the longest line accepted, in bytes
   * @throws DatasetFormatException when a line is not a valid example, two examples share an id, or
   *     the file has no examples
   * @throws IOException when the file cannot be read
   */
  public static QaDataset readJsonl(Path file, int maxLineBytes) throws IOException {
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be >= 1, got " + maxLineBytes);
    }
    if (Files.isDirectory(file)) {
      throw new DatasetFormatException(
          file, 0, null, "is a directory; expected a JSONL file of questions", null);
    }
    List<QaExample> examples = new ArrayList<>();
    Map<String, Long> idLines = new HashMap<>();
    try (BoundedLineReader reader =
        new BoundedLineReader(
            open(file),
            maxLineBytes,
            "line longer than " + maxLineBytes + " bytes (is this a JSONL file?)",
            (line, reason, cause) -> new DatasetFormatException(file, line, null, reason, cause))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        long n = reader.lineNumber();
        QaExample example = new LineParser(file, n).parse(line);
        Long first = idLines.putIfAbsent(example.id(), n);
        if (first != null) {
          throw new DatasetFormatException(
              file,
              n,
              "id",
              "duplicate id \"" + example.id() + "\" (first on line " + first + ")",
              null);
        }
        examples.add(example);
      }
      if (examples.isEmpty()) {
        String why =
            reader.lineNumber() == 0
                ? "the file is empty"
                : reader.lineNumber() + " lines, all blank";
        throw new DatasetFormatException(file, 0, null, "no examples (" + why + ")", null);
      }
    }
    LOG.info("Read {} QA examples from {}", examples.size(), file);
    return new QaDataset(Collections.unmodifiableList(examples));
  }

  /**
   * Writes examples as JSONL, atomically (a temporary file renamed over {@code file}). Fields are
   * written in the order {@code id, question, golden_answers, data_source}, then the extra fields.
   *
   * @throws IllegalArgumentException when the list is empty or two examples share an id (the file
   *     would not read back)
   * @throws IOException when writing fails; {@code file} is then unchanged
   */
  public static void writeJsonl(Path file, List<QaExample> examples) throws IOException {
    checkWritable(examples);
    AtomicFiles.write(
        file,
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          for (QaExample e : examples) {
            w.write(JSON.writeValueAsString(toJson(e)));
            w.write('\n');
          }
          w.flush();
        });
  }

  /** Writes this dataset as JSONL; see {@link #writeJsonl(Path, List)}. */
  public void writeJsonl(Path file) throws IOException {
    writeJsonl(file, examples);
  }

  /** The number of examples. */
  public int size() {
    return examples.size();
  }

  /** The example at a 0-based index, in file order. */
  public QaExample get(int index) {
    return examples.get(index);
  }

  /**
   * The first {@code limit} examples, in file order: an evaluation limited to that many questions.
   * 0 means no limit; a limit past the end keeps every example (this dataset itself).
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  public QaDataset first(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0 (0 = all), got " + limit);
    }
    return limit == 0 || limit >= size() ? this : of(examples.subList(0, limit));
  }

  /** All examples in file order (unmodifiable). */
  public List<QaExample> examples() {
    return examples;
  }

  /**
   * The examples grouped by {@link QaExample#dataSource()}, sources in order of first appearance.
   */
  public Map<String, List<QaExample>> bySource() {
    Map<String, List<QaExample>> groups = new LinkedHashMap<>();
    for (QaExample e : examples) {
      groups.computeIfAbsent(e.dataSource(), k -> new ArrayList<>()).add(e);
    }
    groups.replaceAll((k, v) -> Collections.unmodifiableList(v));
    return Collections.unmodifiableMap(groups);
  }

  private static InputStream open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
      return in;
    }
    try {
      return new GZIPInputStream(in, 1 << 16);
    } catch (EOFException | ZipException e) {
      in.close();
      throw new DatasetFormatException(
          file, 0, null, "expected a gzip file (the name ends in .gz), found " + e.getMessage(), e);
    } catch (IOException e) {
      in.close();
      throw e;
    }
  }

  private static void checkWritable(List<QaExample> examples) {
    Objects.requireNonNull(examples, "examples");
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("a QA dataset needs at least one example");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < examples.size(); i++) {
      Integer first = seen.putIfAbsent(examples.get(i).id(), i);
      if (first != null) {
        throw new IllegalArgumentException(
            "duplicate id \"" + examples.get(i).id() + "\" at indexes " + first + " and " + i);
      }
    }
  }

  private static ObjectNode toJson(QaExample e) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", e.id());
    node.put("question", e.question());
    ArrayNode answers = node.putArray("golden_answers");
    e.goldenAnswers().forEach(answers::add);
    node.put("data_source", e.dataSource());
    e.extra().forEach((k, v) -> node.set(k, JSON.valueToTree(v)));
    return node;
  }

  /** Turns one line into an example, or explains what is wrong with it. */
  private record LineParser(Path file, long line) {

    QaExample parse(String text) {
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new DatasetFormatException(
            file, line, null, "malformed JSON: " + e.getOriginalMessage(), e);
      }
      if (node == null || !node.isObject()) {
        throw fail(null, "expected a JSON object", node);
      }
      String id = id(node.get("id"));
      String question = nonBlankString("question", node.get("question"));
      if (question.length() > MAX_QUESTION_CHARS) {
        throw new DatasetFormatException(
            file,
            line,
            "question",
            "question is "
                + question.length()
                + " characters; at most "
                + MAX_QUESTION_CHARS
                + " are accepted (QaDataset.MAX_QUESTION_CHARS)",
            null);
      }
      String answerField = answerField(node);
      List<String> answers = answers(answerField, node.get(answerField));
      JsonNode source = node.get("data_source");
      String dataSource =
          source == null || source.isNull() ? null : nonBlankString("data_source", source);
      Map<String, Object> extra = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> f : node.properties()) {
        String name = f.getKey();
        if (!QaExample.RESERVED_FIELDS.contains(name) && !name.equals(answerField)) {
          extra.put(name, JSON.convertValue(f.getValue(), Object.class));
        }
      }
      return new QaExample(id, question, answers, dataSource, extra);
    }

    private String id(JsonNode id) {
      if (id == null || !(id.isTextual() || id.isIntegralNumber())) {
        throw fail("id", "expected a string or an integer", id);
      }
      if (id.asText().isEmpty()) {
        throw fail("id", "expected a non-empty string", id);
      }
      return id.asText();
    }

    private String nonBlankString(String field, JsonNode value) {
      if (value == null || !value.isTextual()) {
        throw fail(field, "expected a non-empty string", value);
      }
      if (value.asText().isBlank()) {
        throw new DatasetFormatException(
            file, line, field, "expected a non-empty string, got a blank string", null);
      }
      return value.asText();
    }

    /** The first answer field present and not null; {@code golden_answers} when none is. */
    private static String answerField(JsonNode node) {
      for (String name : ANSWER_FIELDS) {
        JsonNode value = node.get(name);
        if (value != null && !value.isNull()) {
          return name;
        }
      }
      return ANSWER_FIELDS.get(0);
    }

    private List<String> answers(String field, JsonNode value) {
      String expected = "expected a non-empty array of strings or a string";
      if (value != null && value.isTextual()) {
        return List.of(nonBlankString(field, value));
      }
      if (value == null || value.isNull() || !value.isArray()) {
        throw fail(field, expected, value);
      }
      if (value.isEmpty()) {
        throw new DatasetFormatException(
            file, line, field, expected + ", got an empty array", null);
      }
      List<String> answers = new ArrayList<>(value.size());
      for (int i = 0; i < value.size(); i++) {
        answers.add(nonBlankString(field + "[" + i + "]", value.get(i)));
      }
      return answers;
    }

    private DatasetFormatException fail(String field, String expected, JsonNode got) {
      return new DatasetFormatException(
          file, line, field, expected + ", got " + describe(got), null);
    }

    private static String describe(JsonNode node) {
      if (node == null || node.isMissingNode()) {
        return "nothing";
      }
      return node.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
  }
}

package io.github.dartrl.grpo.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QaDatasetTest {

  @TempDir Path dir;

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private Path lines(String... lines) throws IOException {
    return write("data.jsonl", String.join("\n", lines) + "\n");
  }

  /** Asserts a read fails naming the file, the line and (if not null) the field. */
  private AbstractThrowableAssert<?, ? extends Throwable> failsAt(
      Path file, long line, String field) {
    var thrown = assertThatThrownBy(() -> QaDataset.readJsonl(file));
    thrown
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(file.toString() + ":" + line + ": ")
        .satisfies(
            e -> {
              DatasetFormatException d = (DatasetFormatException) e;
              assertThat(d.file()).isEqualTo(file);
              assertThat(d.line()).isEqualTo(line);
              assertThat(d.field()).isEqualTo(field);
            });
    if (field != null) {
      thrown.hasMessageContaining("field \"" + field + "\": ");
    }
    return thrown;
  }

  private static final String GOOD =
      "{\"id\":\"a\",\"question\":\"q?\",\"golden_answers\":[\"x\"]}";

  @Test
  void readsFlashRagLines() throws IOException {
    Path file =
        lines(
            "{\"id\":\"train_0\",\"question\":\"who wrote x?\",\"golden_answers\":[\"Ann\",\"Ann B\"],"
                + "\"metadata\":{\"type\":\"bridge\",\"level\":[1,2.5,null]}}",
            "{\"id\":7,\"question\":\"where?\",\"golden_answers\":\"Paris\",\"data_source\":\"nq\"}");
    QaDataset ds = QaDataset.readJsonl(file);
    assertThat(ds.size()).isEqualTo(2);
    QaExample first = ds.get(0);
    assertThat(first.id()).isEqualTo("train_0");
    assertThat(first.goldenAnswers()).containsExactly("Ann", "Ann B");
    assertThat(first.dataSource()).isEqualTo("unknown");
    assertThat(first.extra()).containsOnlyKeys("metadata");
    @SuppressWarnings("unchecked")
    Map<String, Object> metadata = (Map<String, Object>) first.extra().get("metadata");
    assertThat(metadata).containsEntry("type", "bridge");
    assertThat(metadata.get("level")).isEqualTo(Arrays.asList(1, 2.5, null));
    QaExample second = ds.get(1);
    assertThat(second.id()).isEqualTo("7");
    assertThat(second.goldenAnswers()).containsExactly("Paris");
    assertThat(second.dataSource()).isEqualTo("nq");
    assertThat(ds.examples()).containsExactly(first, second);
  }

  @Test
  void answerAliasesWhenGoldenAnswersIsAbsent() throws IOException {
    Path file =
        lines(
            "{\"id\":\"1\",\"question\":\"q\",\"answers\":[\"a\",\"b\"]}",
            "{\"id\":\"2\",\"question\":\"q\",\"answer\":\"c\"}",
            "{\"id\":\"3\",\"question\":\"q\",\"golden_answers\":null,\"answer\":[\"d\"]}",
            "{\"id\":\"4\",\"question\":\"q\",\"golden_answers\":[\"e\"],\"answer\":\"ignored\"}");
    QaDataset ds = QaDataset.readJsonl(file);
    assertThat(ds.get(0).goldenAnswers()).containsExactly("a", "b");
    assertThat(ds.get(1).goldenAnswers()).containsExactly("c");
    assertThat(ds.get(2).goldenAnswers()).containsExactly("d");
    assertThat(ds.get(3).goldenAnswers()).containsExactly("e");
    assertThat(ds.get(3).extra()).containsEntry("answer", "ignored");
  }

  @Test
  void skipsBlankLinesAndHandlesCrLfAndBom() throws IOException {
    Path file =
        write(
            "crlf.jsonl",
            "\uFEFF" + GOOD + "\r\n\r\n   \t\r\n" + GOOD.replace("\"a\"", "\"b\"") + "\r\n\n");
    QaDataset ds = QaDataset.readJsonl(file);
    assertThat(ds.examples()).extracting(QaExample::id).containsExactly("a", "b");
  }

  @Test
  void firstKeepsThatManyExamplesInOrderAndZeroMeansAll() {
    QaDataset three =
        QaDataset.of(
            List.of(
                new QaExample("1", "q", List.of("a"), "nq", Map.of()),
                new QaExample("2", "q", List.of("a"), "nq", Map.of()),
                new QaExample("3", "q", List.of("a"), "nq", Map.of())));
    assertThat(three.first(2).examples()).extracting(QaExample::id).containsExactly("1", "2");
    assertThat(three.first(0)).isSameAs(three);
    assertThat(three.first(3)).isSameAs(three);
    assertThat(three.first(10)).isSameAs(three);
    assertThatThrownBy(() -> three.first(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit must be >= 0");
  }

  @Test
  void lastLineWithoutNewline() throws IOException {
    assertThat(QaDataset.readJsonl(write("x.jsonl", GOOD)).size()).isEqualTo(1);
  }

  @Test
  void readsGzip() throws IOException {
    Path file = dir.resolve("data.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write((GOOD + "\n").getBytes(StandardCharsets.UTF_8));
    }
    assertThat(QaDataset.readJsonl(file).get(0).id()).isEqualTo("a");
  }

  @Test
  void truncatedOrFakeGzipIsAFormatErrorNamingTheFile() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < 300; i++) {
        out.write(GOOD.replace("\"a\"", "\"id" + i + "\"").getBytes(StandardCharsets.UTF_8));
        out.write('\n');
      }
    }
    byte[] gz = bytes.toByteArray();
    Path cut = Files.write(dir.resolve("cut.jsonl.gz"), java.util.Arrays.copyOf(gz, gz.length - 9));
    assertThatThrownBy(() -> QaDataset.readJsonl(cut))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(cut + ":")
        .hasMessageContaining("truncated or corrupt gzip stream");
    Path fake = write("fake.jsonl.gz", GOOD);
    assertThatThrownBy(() -> QaDataset.readJsonl(fake))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageStartingWith(fake + ": ")
        .hasMessageContaining("expected a gzip file");
  }

  @Test
  void groupsBySourceInOrderOfFirstAppearance() {
    QaDataset ds =
        QaDataset.of(
            List.of(
                new QaExample("1", "q", List.of("a"), "hotpotqa", Map.of()),
                new QaExample("2", "q", List.of("a"), "nq", Map.of()),
                new QaExample("3", "q", List.of("a"), "hotpotqa", Map.of()),
                QaExample.of("4", "q", List.of("a"))));
    Map<String, List<QaExample>> groups = ds.bySource();
    assertThat(groups.keySet()).containsExactly("hotpotqa", "nq", "unknown");
    assertThat(groups.get("hotpotqa")).extracting(QaExample::id).containsExactly("1", "3");
    assertThatThrownBy(() -> groups.get("nq").add(ds.get(0)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void writeThenReadGivesTheSameExamples() throws IOException {
    Path source =
        lines(
            "{\"id\":\"1\",\"question\":\"q \\\"quoted\\\" ü\",\"golden_answers\":[\"a\"],"
                + "\"metadata\":{\"k\":[1,{\"n\":null}],\"f\":1.5,\"b\":true}}",
            "{\"id\":\"2\",\"question\":\"line\\nbreak\",\"golden_answers\":\"b\","
                + "\"data_source\":\"nq\",\"answers\":[\"kept in extra\"]}");
    QaDataset read = QaDataset.readJsonl(source);
    Path copy = dir.resolve("out/copy.jsonl");
    read.writeJsonl(copy);
    QaDataset again = QaDataset.readJsonl(copy);
    assertThat(again.examples()).isEqualTo(read.examples());
    assertThat(Files.readAllLines(copy).get(0))
        .startsWith("{\"id\":\"1\",\"question\":")
        .contains("\"data_source\":\"unknown\",\"metadata\":");
    try (var files = Files.list(copy.getParent())) {
      assertThat(files).containsExactly(copy);
    }
  }

  @Test
  void writeRefusesWhatCouldNotBeReadBack() {
    Path file = dir.resolve("w.jsonl");
    assertThatThrownBy(() -> QaDataset.writeJsonl(file, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one example");
    QaExample a = QaExample.of("same", "q", List.of("a"));
    assertThatThrownBy(() -> QaDataset.writeJsonl(file, List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duplicate id \"same\" at indexes 0 and 1");
    assertThat(file).doesNotExist();
    assertThatThrownBy(() -> QaDataset.of(List.of(a, a)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void malformedJson() throws IOException {
    Path file = lines(GOOD, "{\"id\":\"b\",\"question\":");
    failsAt(file, 2, null).hasMessageContaining("malformed JSON");
  }

  @Test
  void twoObjectsOnOneLine() throws IOException {
    failsAt(lines(GOOD + GOOD), 1, null).hasMessageContaining("malformed JSON");
  }

  @Test
  void repeatedKey() throws IOException {
    Path file = lines("{\"id\":\"a\",\"id\":\"b\",\"question\":\"q\",\"golden_answers\":[\"x\"]}");
    failsAt(file, 1, null).hasMessageContaining("malformed JSON").hasMessageContaining("id");
  }

  @Test
  void notAnObject() throws IOException {
    failsAt(lines("[1, 2]"), 1, null).hasMessageContaining("expected a JSON object, got array");
  }

  @Test
  void missingQuestion() throws IOException {
    failsAt(lines(GOOD, "{\"id\":\"b\",\"golden_answers\":[\"x\"]}"), 2, "question")
        .hasMessageContaining("expected a non-empty string, got nothing");
  }

  @Test
  void blankQuestion() throws IOException {
    failsAt(lines("{\"id\":\"b\",\"question\":\"  \",\"golden_answers\":[\"x\"]}"), 1, "question")
        .hasMessageContaining("blank string");
  }

  @Test
  void questionOfTheWrongType() throws IOException {
    failsAt(lines("{\"id\":\"b\",\"question\":42,\"golden_answers\":[\"x\"]}"), 1, "question")
        .hasMessageContaining("got number");
  }

  @Test
  void missingGoldenAnswers() throws IOException {
    failsAt(lines("{\"id\":\"b\",\"question\":\"q\"}"), 1, "golden_answers")
        .hasMessageContaining("expected a non-empty array of strings or a string, got nothing");
  }

  @Test
  void emptyGoldenAnswers() throws IOException {
    failsAt(lines("{\"id\":\"b\",\"question\":\"q\",\"golden_answers\":[]}"), 1, "golden_answers")
        .hasMessageContaining("got an empty array");
  }

  @Test
  void goldenAnswersOfTheWrongType() throws IOException {
    failsAt(lines("{\"id\":\"b\",\"question\":\"q\",\"golden_answers\":{}}"), 1, "golden_answers")
        .hasMessageContaining("got object");
    failsAt(
            lines("{\"id\":\"b\",\"question\":\"q\",\"golden_answers\":[\"x\",3]}"),
            1,
            "golden_answers[1]")
        .hasMessageContaining("got number");
    failsAt(
            lines("{\"id\":\"b\",\"question\":\"q\",\"golden_answers\":[\"x\",\" \"]}"),
            1,
            "golden_answers[1]")
        .hasMessageContaining("blank");
  }

  @Test
  void badAliasIsReportedUnderItsOwnName() throws IOException {
    failsAt(lines("{\"id\":\"b\",\"question\":\"q\",\"answers\":[]}"), 1, "answers")
        .hasMessageContaining("empty array");
  }

  @Test
  void badIds() throws IOException {
    failsAt(lines("{\"question\":\"q\",\"golden_answers\":[\"x\"]}"), 1, "id")
        .hasMessageContaining("expected a string or an integer, got nothing");
    failsAt(lines("{\"id\":1.5,\"question\":\"q\",\"golden_answers\":[\"x\"]}"), 1, "id")
        .hasMessageContaining("got number");
    failsAt(lines("{\"id\":\"\",\"question\":\"q\",\"golden_answers\":[\"x\"]}"), 1, "id")
        .hasMessageContaining("non-empty");
  }

  @Test
  void duplicateIds() throws IOException {
    Path file = lines(GOOD, "", GOOD.replace("\"a\"", "\"b\""), GOOD);
    failsAt(file, 4, "id").hasMessageContaining("duplicate id \"a\" (first on line 1)");
  }

  @Test
  void numericAndStringIdsCollide() throws IOException {
    Path file = lines(GOOD.replace("\"a\"", "7"), GOOD.replace("\"a\"", "\"7\""));
    failsAt(file, 2, "id").hasMessageContaining("duplicate id \"7\"");
  }

  @Test
  void dataSourceOfTheWrongType() throws IOException {
    failsAt(lines(GOOD.replace("}", ",\"data_source\":[\"nq\"]}")), 1, "data_source")
        .hasMessageContaining("got array");
  }

  @Test
  void lineLongerThanTheBound() throws IOException {
    Path file = lines(GOOD, GOOD.replace("q?", "q".repeat(100)));
    assertThatThrownBy(() -> QaDataset.readJsonl(file, 80))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(file + ":2: line longer than 80 bytes");
    // Exactly at the bound is fine, also with a CRLF terminator.
    Path exact = write("exact.jsonl", GOOD + "\r\n");
    assertThat(QaDataset.readJsonl(exact, GOOD.length()).size()).isEqualTo(1);
    assertThatThrownBy(() -> QaDataset.readJsonl(exact, GOOD.length() - 1))
        .hasMessageContaining(exact + ":1: line longer than");
  }

  @Test
  void defaultBoundIsOneMebibyte() throws IOException {
    String huge = GOOD.replace("q?", "q".repeat(QaDataset.DEFAULT_MAX_LINE_BYTES));
    failsAt(lines(GOOD, huge), 2, null).hasMessageContaining("line longer than 1048576 bytes");
  }

  @Test
  void invalidUtf8NamesItsLine() throws IOException {
    Path file = dir.resolve("latin1.jsonl");
    byte[] good = (GOOD + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] bad =
        "{\"id\":\"b\",\"question\":\"caf\u00e9\",\"golden_answers\":[\"x\"]}\n"
            .getBytes(StandardCharsets.ISO_8859_1);
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(good);
      out.write(bad);
    }
    failsAt(file, 2, null).hasMessageContaining("not valid UTF-8");
  }

  @Test
  void emptyDataset() throws IOException {
    Path empty = write("empty.jsonl", "");
    assertThatThrownBy(() -> QaDataset.readJsonl(empty))
        .isInstanceOf(DatasetFormatException.class)
        .hasMessageContaining(empty + ": no examples (the file is empty)");
    Path blank = write("blank.jsonl", "\n  \n\n");
    assertThatThrownBy(() -> QaDataset.readJsonl(blank))
        .hasMessageContaining("no examples (3 lines, all blank)");
  }

  @Test
  void missingFileAndBadBound() {
    assertThatThrownBy(() -> QaDataset.readJsonl(dir.resolve("nope.jsonl")))
        .isInstanceOf(NoSuchFileException.class);
    assertThatThrownBy(() -> QaDataset.readJsonl(dir.resolve("nope.jsonl"), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exampleValidation() {
    assertThat(new QaExample("1", "q", List.of("a"), null, null).dataSource()).isEqualTo("unknown");
    assertThatThrownBy(() -> new QaExample("", "q", List.of("a"), null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("id");
    assertThatThrownBy(() -> QaExample.of("1", " ", List.of("a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("question");
    assertThatThrownBy(() -> QaExample.of("1", "q", List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no golden answers");
    assertThatThrownBy(() -> QaExample.of("1", "q", List.of("")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QaExample("1", "q", List.of("a"), null, Map.of("question", "x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"question\"");
  }
}

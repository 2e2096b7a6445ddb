package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CorpusReaderTest {

  @TempDir Path tmp;

  @Test
  void readsBothFormsAndSkipsBlankLines() throws IOException {
    Path file =
        Files.writeString(
            tmp.resolve("c.jsonl"),
            "\uFEFF{\"id\": \"a\", \"contents\": \"\\\"A\\\"\\nalpha\", \"extra\": 1}\n"
                + "\n"
                + "{\"id\": 7, \"title\": \"B\", \"text\": \"beta\"}\n");
    try (CorpusReader r = CorpusReader.open(file)) {
      assertThat(r.next()).isEqualTo(new CorpusReader.Document(1, "a", "\"A\"\nalpha"));
      assertThat(r.next()).isEqualTo(new CorpusReader.Document(3, "7", "\"B\"\nbeta"));
      assertThat(r.next()).isNull();
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[1, 2]|expected a JSON object, got array",
        "{\"contents\": \"x\"}|missing \"id\"",
        "{\"id\": {\"a\": 1}, \"contents\": \"x\"}|missing \"id\" (a string or integer), got object",
        "{\"id\": \"\", \"contents\": \"x\"}|\"id\" is empty",
        "{\"id\": \"1\", \"contents\": 5}|\"contents\" must be a string, got number",
        "{\"id\": \"1\", \"title\": \"t\"}|needs \"contents\" or \"text\"",
        "{\"id\": \"1\", \"title\": 3, \"text\": \"t\"}|\"title\" must be a string",
        "{\"id\": \"1\", \"contents\": \"x\"} {\"id\": \"2\"}|malformed JSON",
        "not json|malformed JSON",
      })
  void badLinesNameFileAndLine(String line, String reason) throws IOException {
    Path file =
        Files.writeString(
            tmp.resolve("c.jsonl"), "{\"id\": \"ok\", \"contents\": \"fine\"}\n" + line + "\n");
    try (CorpusReader r = CorpusReader.open(file)) {
      r.next();
      assertThatThrownBy(r::next)
          .isInstanceOf(CorpusFormatException.class)
          .hasMessageStartingWith(file + ":2: ")
          .hasMessageContaining(reason);
    }
  }

  @Test
  void aLineLongerThanTheBoundFailsWithItsNumber() throws IOException {
    Path file =
        Files.writeString(
            tmp.resolve("c.jsonl"),
            "{\"id\": \"a\", \"contents\": \"x\"}\n{\"id\": \"b\", \"contents\": \""
                + "y".repeat(200)
                + "\"}\n");
    try (CorpusReader r = CorpusReader.open(file, 64)) {
      assertThat(r.next().id()).isEqualTo("a");
      assertThatThrownBy(r::next)
          .isInstanceOf(CorpusFormatException.class)
          .hasMessage(
              file + ":2: expected a line of at most 64 bytes (is this a corpus JSONL file?)");
    }
    assertThat(CorpusReader.DEFAULT_MAX_LINE_BYTES).isEqualTo(8 << 20);
  }

  @Test
  void truncatedOrFakeGzipIsACorpusFormatError() throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
      for (int i = 0; i < 500; i++) {
        out.write(("{\"id\": \"" + i + "\", \"contents\": \"text " + i + "\"}\n").getBytes());
      }
    }
    byte[] gz = bytes.toByteArray();
    Path cut = Files.write(tmp.resolve("cut.jsonl.gz"), java.util.Arrays.copyOf(gz, gz.length - 9));
    assertThatThrownBy(
            () -> {
              try (CorpusReader r = CorpusReader.open(cut)) {
                while (r.next() != null) {
                  // read to the end
                }
              }
            })
        .isInstanceOf(CorpusFormatException.class)
        .hasMessageContaining(cut + ":")
        .hasMessageContaining("truncated or corrupt gzip stream");
    Path fake = Files.writeString(tmp.resolve("fake.jsonl.gz"), "{\"id\": 1, \"text\": \"x\"}\n");
    assertThatThrownBy(() -> CorpusReader.open(fake).close())
        .isInstanceOf(CorpusFormatException.class)
        .hasMessageContaining("expected a gzip file");
  }

  @Test
  void aLineOverTheBoundFailsWithoutReadingItWhole() throws IOException {
    String ok = "{\"id\": \"1\", \"contents\": \"" + "x".repeat(60) + "\"}";
    String big = "{\"id\": \"2\", \"contents\": \"" + "y".repeat(200_000) + "\"}";
    Path file = Files.writeString(tmp.resolve("c.jsonl"), ok + "\r\n" + big + "\n");
    try (CorpusReader r = CorpusReader.open(file, ok.length())) {
      assertThat(r.next().id()).isEqualTo("1"); // exactly at the bound, with CRLF, is fine
      assertThatThrownBy(r::next)
          .isInstanceOf(CorpusFormatException.class)
          .hasMessageStartingWith(file + ":2: ")
          .hasMessageContaining("expected a line of at most " + ok.length() + " bytes");
    }
    assertThat(CorpusReader.DEFAULT_MAX_LINE_BYTES).isEqualTo(8 << 20);
  }
}

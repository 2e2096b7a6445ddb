package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Bm25IndexBuilderTest {

  @TempDir Path tmp;

  private List<Path> entries() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.toList();
    }
  }

  @Test
  void malformedLineIsReportedWithFileAndLineAndLeavesNoIndex() throws IOException {
    Path corpus = tmp.resolve("bad.jsonl");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      sb.append("{\"id\": \"").append(i).append("\", \"contents\": \"\\\"T\\\"\\nbody ").append(i);
      sb.append("\"}\n");
    }
    sb.append("{\"id\": \"500\", \"contents\": \"unterminated}\n");
    Files.writeString(corpus, sb);
    Path index = tmp.resolve("index");

    assertThatThrownBy(() -> Bm25IndexBuilder.withDefaults().build(corpus, index))
        .isInstanceOfSatisfying(
            CorpusFormatException.class,
            e -> {
              assertThat(e.file()).isEqualTo(corpus);
              assertThat(e.line()).isEqualTo(501);
            })
        .hasMessageStartingWith(corpus + ":501: malformed JSON");
    // Neither the index nor a partial directory is left behind.
    assertThat(index).doesNotExist();
    assertThat(entries()).containsExactly(corpus);
  }

  @Test
  void emptyCorpusIsAClearError() throws IOException {
    Path corpus = Files.writeString(tmp.resolve("empty.jsonl"), "\n  \n");
    Path index = tmp.resolve("index");
    assertThatThrownBy(() -> Bm25IndexBuilder.withDefaults().build(corpus, index))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(corpus.toString())
        .hasMessageContaining("contains no passages");
    assertThat(entries()).containsExactly(corpus);
  }

  @Test
  void missingCorpusIsAClearError() {
    Path corpus = tmp.resolve("missing.jsonl");
    assertThatThrownBy(() -> Bm25IndexBuilder.withDefaults().build(corpus, tmp.resolve("i")))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(corpus + " does not exist");
  }

  @Test
  void refusesToOverwriteANonEmptyDirectoryButFillsAnEmptyOne() throws IOException {
    Path corpus = TestCorpus.write(tmp);
    Path full = Files.createDirectories(tmp.resolve("full"));
    Files.writeString(full.resolve("keep.txt"), "mine");
    assertThatThrownBy(() -> Bm25IndexBuilder.withDefaults().build(corpus, full))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining("already exists and is not empty");
    assertThat(full.resolve("keep.txt")).hasContent("mine");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    IndexMetadata meta = Bm25IndexBuilder.withDefaults().build(corpus, empty);
    assertThat(meta.docCount()).isEqualTo(TestCorpus.DOCS.size());
    assertThat(empty.resolve(IndexMetadata.FILE_NAME)).exists();
  }

  @Test
  void readsGzippedCorpusAndLogsProgress() throws IOException {
    Path gz = tmp.resolve("corpus.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(Files.readAllBytes(TestCorpus.write(tmp)));
    }
    Path index = tmp.resolve("gz-index");
    IndexMetadata meta = Bm25IndexBuilder.withDefaults().withProgressEvery(3).build(gz, index);
    assertThat(meta.docCount()).isEqualTo(TestCorpus.DOCS.size());
    try (LuceneBm25Retriever r = LuceneBm25Retriever.open(index)) {
      assertThat(r.search("Madrid", 1).get(0).id()).isEqualTo("d7");
    }
  }

  @Test
  void invalidUtf8IsReportedWithItsLine() throws IOException {
    Path corpus = tmp.resolve("latin1.jsonl");
    byte[] good = "{\"id\": \"1\", \"contents\": \"ok\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] bad =
        "{\"id\": \"2\", \"contents\": \"caf\u00e9\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(corpus, concat(good, bad));
    assertThatThrownBy(() -> Bm25IndexBuilder.withDefaults().build(corpus, tmp.resolve("i")))
        .isInstanceOf(CorpusFormatException.class)
        .hasMessageContaining(corpus + ":2: not valid UTF-8");
    assertThat(tmp.resolve("i")).doesNotExist();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Index building and opening: duplicates, leftovers of killed builds, corrupt files. */
class IndexRobustnessTest {

  @TempDir Path tmp;

  @Test
  void duplicatePassageIdsAreRefusedNamingBothLines() throws Exception {
    Path corpus =
        Files.writeString(
            tmp.resolve("dup.jsonl"),
            "{\"id\": \"a\", \"contents\": \"one\"}\n"
                + "{\"id\": \"b\", \"contents\": \"two\"}\n"
                + "\n"
                + "{\"id\": \"a\", \"contents\": \"three\"}\n");
    Path index = tmp.resolve("index");
    assertThatThrownBy(() -> Bm25IndexBuilder.withDefaults().build(corpus, index))
        .isInstanceOf(CorpusFormatException.class)
        .hasMessageContaining(corpus + ":4: duplicate passage id \"a\" (first on line 1)");
    assertThat(index).doesNotExist();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).containsExactly(corpus); // no partial directory either
    }
  }

  @Test
  void aRerunRemovesWhatAKilledBuildLeftAndNothingElse() throws Exception {
    Path corpus = TestCorpus.write(tmp);
    Path killed = Files.createDirectories(tmp.resolve(".index.partial-123"));
    Files.createFile(killed.resolve(Bm25IndexBuilder.MARKER));
    Files.write(killed.resolve("_0.cfs"), new byte[1000]);
    Path notOurs = Files.createDirectories(tmp.resolve(".index.partial-456"));
    Files.writeString(notOurs.resolve("notes.txt"), "keep me");

    Bm25IndexBuilder.withDefaults().build(corpus, tmp.resolve("index"));

    assertThat(killed).doesNotExist();
    assertThat(notOurs.resolve("notes.txt")).hasContent("keep me");
    assertThat(tmp.resolve("index").resolve(Bm25IndexBuilder.MARKER)).doesNotExist();
    try (LuceneBm25Retriever r = LuceneBm25Retriever.open(tmp.resolve("index"))) {
      assertThat(r.search(List.of("Eiffel Tower"), 1).get(0).get(0).id()).isEqualTo("d2");
    }
  }

  @Test
  void flippedBytesInASegmentNameTheIndexAndTheFix() throws Exception {
    Path corpus = TestCorpus.write(tmp);
    Path index = tmp.resolve("index");
    Bm25IndexBuilder.withDefaults().build(corpus, index);
    Path cfs;
    try (Stream<Path> files = Files.list(index)) {
      cfs = files.filter(p -> p.toString().endsWith(".cfs")).findFirst().orElseThrow();
    }
    long size = Files.size(cfs);
    try (RandomAccessFile f = new RandomAccessFile(cfs.toFile(), "rw")) {
      for (long pos = 64; pos < size - 64; pos += 3) { // keep header and footer, scramble the rest
        f.seek(pos);
        f.write(0xA5);
      }
    }
    assertThatThrownBy(
            () -> {
              try (LuceneBm25Retriever r = LuceneBm25Retriever.open(index)) {
                for (String[] d : TestCorpus.DOCS) {
                  r.search(List.of(d[1] + " " + d[2]), 3);
                }
              }
            })
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(index.toString())
        .hasMessageContaining("corrupt index, rebuild with dart4j index");
  }

  @Test
  void aMalformedMetadataFileNamesTheFileAndTheField() throws Exception {
    Path corpus = TestCorpus.write(tmp);
    Path index = tmp.resolve("index");
    Bm25IndexBuilder.withDefaults().build(corpus, index);
    Path meta = index.resolve(IndexMetadata.FILE_NAME);
    Files.writeString(
        meta,
        Files.readString(meta).replaceFirst("\"docCount\" : \\d+", "\"docCount\" : \"many\""));
    assertThatThrownBy(() -> LuceneBm25Retriever.open(index))
        .isInstanceOf(RetrieverException.class)
        .hasMessageContaining(meta.toString())
        .hasMessageContaining("field \"docCount\"")
        .hasMessageContaining("line ")
        .hasMessageNotContaining("Source:");
  }
}

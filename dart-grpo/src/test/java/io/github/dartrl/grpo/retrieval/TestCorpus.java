package io.github.dartrl.grpo.retrieval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A tiny corpus with known answers, in Search-R1's {@code {"id","contents"}} form. */
final class TestCorpus {

  /** id, title, text. */
  static final List<String[]> DOCS =
      List.of(
          new String[] {
            "d0",
            "Paris",
            "Paris is the capital and largest city of France. The Eiffel Tower is there."
          },
          new String[] {"d1", "Berlin", "Berlin is the capital of Germany and its largest city."},
          new String[] {
            "d2",
            "Eiffel Tower",
            "The Eiffel Tower is a wrought-iron lattice tower on the Champ de Mars in Paris."
          },
          new String[] {
            "d3",
            "Python (programming language)",
            "Python is a programming language created by Guido van Rossum."
          },
          new String[] {"d4", "Python (snake)", "Pythons are large constricting snakes of Africa."},
          new String[] {"d5", "Rome", "Rome is the capital city of Italy."},
          new String[] {
            "d6", "Java", "Java is an island of Indonesia; Java is also a programming language."
          },
          new String[] {"d7", "Madrid", "Madrid is the capital of Spain."});

  private TestCorpus() {}

  /** Writes the corpus as {@code corpus.jsonl} in {@code dir}. */
  static Path write(Path dir) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String[] d : DOCS) {
      sb.append("{\"id\": \"")
          .append(d[0])
          .append("\", \"contents\": \"\\\"")
          .append(d[1])
          .append("\\\"\\n")
          .append(d[2])
          .append("\"}\n");
    }
    Path file = dir.resolve("corpus.jsonl");
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    return file;
  }

  /** Builds the index at {@code dir/index} and opens it. */
  static LuceneBm25Retriever index(Path dir) throws IOException {
    Path index = dir.resolve("index");
    Bm25IndexBuilder.withDefaults().build(write(dir), index);
    return LuceneBm25Retriever.open(index);
  }
}

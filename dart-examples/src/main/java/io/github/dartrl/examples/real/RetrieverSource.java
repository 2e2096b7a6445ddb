package io.github.dartrl.examples.real;

import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.IndexMetadata;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.SearchR1HttpRetriever;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the search tool's passages come from: a Search-R1 corpus JSONL (indexed with BM25 into the
 * output directory on first use), an existing Lucene/Pyserini BM25 index, or a running Search-R1
 * retrieval server (e.g. its E5 dense retriever, {@code retrieval_launch.sh}).
 *
 * @param kind which of the three
 * @param location the corpus file, the index directory or the server's {@code /retrieve} URL
 */
public record RetrieverSource(Kind kind, String location) {

  /** The three kinds of source. */
  public enum Kind {
    /** A Search-R1 corpus JSONL ({@code {"id", "contents"}} per line). */
    CORPUS,
    /** A BM25 index built by dart4j or Pyserini (with stored contents). */
    INDEX,
    /** A Search-R1 compatible {@code POST /retrieve} URL. */
    URL
  }

  /** Validates the location. */
  public RetrieverSource {
    Objects.requireNonNull(kind, "kind");
    if (location == null || location.isBlank()) {
      throw new IllegalArgumentException("a " + kind + " retriever source needs a location");
    }
  }

  /**
   * Opens the retriever. A corpus is indexed into {@code indexDir} unless a complete index is
   * already there (so a resumed run does not index twice).
   */
  public Retriever open(Path indexDir) {
    return switch (kind) {
      case CORPUS -> {
        Path corpus = Path.of(location);
        if (!Files.isRegularFile(corpus)) {
          throw new IllegalArgumentException("--corpus: no such file: " + corpus);
        }
        if (IndexMetadata.read(indexDir).isEmpty()) {
          Bm25IndexBuilder.withDefaults().build(corpus, indexDir);
        }
        yield LuceneBm25Retriever.open(indexDir);
      }
      case INDEX -> {
        Path dir = Path.of(location);
        if (!Files.isDirectory(dir)) {
          throw new IllegalArgumentException("--index: no such directory: " + dir);
        }
        yield LuceneBm25Retriever.open(dir);
      }
      case URL -> SearchR1HttpRetriever.connect(location);
    };
  }
}

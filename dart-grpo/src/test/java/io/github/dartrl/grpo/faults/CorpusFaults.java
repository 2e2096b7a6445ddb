package io.github.dartrl.grpo.faults;

import static io.github.dartrl.core.faults.FaultCase.of;
import static io.github.dartrl.core.faults.FaultCase.throwsA;

import io.github.dartrl.core.faults.Category;
import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.core.faults.Workspace;
import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.CorpusFormatException;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import java.util.Arrays;
import java.util.List;

/**
 * Bad corpora (Search-R1 corpus JSONL) given to the BM25 index builder, and bad index directories.
 * A failed build must leave neither the index directory nor a partial one behind.
 */
public final class CorpusFaults {
  private CorpusFaults() {}

  private static final Class<CorpusFormatException> CFE = CorpusFormatException.class;

  public static final String GOOD =
      "{\"id\": \"1\", \"contents\": \"\\\"Paris\\\"\\nParis is the capital of France.\"}\n"
          + "{\"id\": \"2\", \"title\": \"Lima\", \"text\": \"Lima is the capital of Peru.\"}\n";

  private static Object build(Workspace w) {
    return Bm25IndexBuilder.withDefaults().build(w.path("corpus.jsonl"), w.path("index"));
  }

  private static final BadFile CORPUS =
      new BadFile(Category.CORPUS, "corpus.jsonl", CorpusFaults::build, CFE);

  static List<FaultCase> cases() {
    Category c = Category.CORPUS;
    return List.of(
        CORPUS.holding(
            "corpus-malformed-line",
            "line 3 is not JSON",
            GOOD + "{\"id\": \"3\", \"contents\": \n",
            "corpus.jsonl:3: ",
            "malformed JSON"),
        CORPUS.holding(
            "corpus-missing-text",
            "a passage with neither \"contents\" nor \"text\"",
            GOOD + "{\"id\": \"3\", \"title\": \"Rome\"}\n",
            "corpus.jsonl:3: ",
            "needs \"contents\" or \"text\" (a string)"),
        CORPUS.holding(
            "corpus-id-wrong-type",
            "\"id\": {\"n\": 1}",
            "{\"id\": {\"n\": 1}, \"contents\": \"x\"}\n",
            "corpus.jsonl:1: ",
            "missing \"id\" (a string or integer), got object"),
        CORPUS.holding(
            "corpus-contents-wrong-type",
            "\"contents\": [\"a\", \"b\"]",
            "{\"id\": \"1\", \"contents\": [\"a\", \"b\"]}\n",
            "corpus.jsonl:1: ",
            "\"contents\" must be a string, got array"),
        of(
            "corpus-empty",
            c,
            "a corpus of blank lines only",
            w -> w.write("corpus.jsonl", "\n\n"),
            CorpusFaults::build,
            throwsA(RetrieverException.class, "corpus.jsonl", "contains no passages")),
        of(
            "corpus-huge-line",
            c,
            "a 9 MiB line (bound 8 MiB)",
            w -> {
              char[] big = new char[9 << 20];
              Arrays.fill(big, 'x');
              w.write(
                  "corpus.jsonl",
                  GOOD + "{\"id\": \"3\", \"contents\": \"" + new String(big) + "\"}\n");
            },
            CorpusFaults::build,
            throwsA(CFE, "corpus.jsonl:3: ", "expected a line of at most 8388608 bytes")),
        of(
            "corpus-gzip-truncated",
            c,
            "corpus.jsonl.gz cut in the middle",
            w -> {
              byte[] gz = DatasetFaults.gzip(GOOD.repeat(500));
              w.writeBytes("corpus.jsonl.gz", Arrays.copyOf(gz, gz.length - 20));
            },
            w -> Bm25IndexBuilder.withDefaults().build(w.path("corpus.jsonl.gz"), w.path("index")),
            throwsA(CFE, "corpus.jsonl.gz:", "truncated or corrupt gzip stream")),
        of(
            "index-dir-not-empty",
            c,
            "building into out/ that holds a previous result",
            w -> w.write("corpus.jsonl", GOOD),
            w -> Bm25IndexBuilder.withDefaults().build(w.path("corpus.jsonl"), w.out()),
            throwsA(RetrieverException.class, "already exists and is not empty")),
        of(
            "index-not-an-index",
            c,
            "opening out/ (no Lucene index in it) as an index",
            w -> {},
            w -> w.closeLater(LuceneBm25Retriever.open(w.out())),
            throwsA(RetrieverException.class, "{root}/out")));
  }
}

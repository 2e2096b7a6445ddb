package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.Bm25Params;
import io.github.dartrl.grpo.retrieval.IndexMetadata;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dart4j index}: builds a Lucene BM25 index from a corpus JSONL file. */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = {
      "Build a BM25 index from a corpus JSONL file.",
      "Lines are {\"id\", \"contents\": \"\\\"Title\\\"\\ntext\"} (Search-R1/FlashRAG) or"
          + " {\"id\", \"title\", \"text\"}; .gz files are read too.",
      "The index appears at DIR only once it is complete."
    })
public final class IndexCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--corpus", required = true, paramLabel = "FILE", description = "Corpus JSONL.")
  Path corpus;

  @Option(
      names = "--index",
      required = true,
      paramLabel = "DIR",
      description = "Index directory to create (must not exist, or be empty).")
  Path index;

  @Option(
      names = "--k1",
      defaultValue = "0.9",
      description =
          "BM25 k1 recorded as the search default (default: ${DEFAULT-VALUE}, Pyserini's).")
  double k1;

  @Option(
      names = "--b",
      defaultValue = "0.4",
      description =
          "BM25 b recorded as the search default (default: ${DEFAULT-VALUE}, Pyserini's).")
  double b;

  @Option(
      names = "--progress-every",
      defaultValue = "100000",
      paramLabel = "N",
      description = "Log progress every N passages (default: ${DEFAULT-VALUE}).")
  long progressEvery;

  @Override
  public Integer call() {
    Bm25Params params;
    try {
      params = new Bm25Params(k1, b);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (progressEvery < 1) {
      throw new ParameterException(spec.commandLine(), "--progress-every must be >= 1");
    }
    OutputDir.check(index, "--index"); // the builder refuses a non-empty directory itself
    IndexMetadata meta =
        new Bm25IndexBuilder(params).withProgressEvery(progressEvery).build(corpus, index);
    spec.commandLine()
        .getOut()
        .printf(
            "indexed %d passages from %s into %s (k1=%s, b=%s)%n",
            meta.docCount(), corpus, index.toAbsolutePath().normalize(), meta.k1(), meta.b());
    return 0;
  }
}

package io.github.dartrl.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.retrieval.Passage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dart4j search}: searches a BM25 index and prints the passages as JSON. */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Search a BM25 index and print JSON: [{\"query\", \"passages\": [{\"id\", \"title\","
          + " \"text\", \"score\"}]}].",
      "Each QUERY argument is one query: quote multi-word queries."
    })
public final class SearchCommand implements Callable<Integer> {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec CommandSpec spec;

  @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index directory.")
  Path index;

  @Option(
      names = "--topk",
      defaultValue = "3",
      description = "Passages per query (default: ${DEFAULT-VALUE}).")
  int topK;

  @Parameters(arity = "1..*", paramLabel = "QUERY", description = "Queries.")
  List<String> queries;

  @Override
  public Integer call() throws Exception {
    if (topK < 1) {
      throw new ParameterException(spec.commandLine(), "--topk must be >= 1, got " + topK);
    }
    List<List<Passage>> results;
    try (LuceneBm25Retriever retriever = LuceneBm25Retriever.open(index)) {
      results = retriever.search(queries, topK);
    }
    ArrayNode out = JSON.createArrayNode();
    for (int i = 0; i < queries.size(); i++) {
      ObjectNode entry = out.addObject();
      entry.put("query", queries.get(i));
      ArrayNode passages = entry.putArray("passages");
      for (Passage p : results.get(i)) {
        passages
            .addObject()
            .put("id", p.id())
            .put("title", p.title())
            .put("text", p.text())
            .put("score", p.score());
      }
    }
    spec.commandLine().getOut().println(JSON.writeValueAsString(out));
    spec.commandLine().getOut().flush();
    return 0;
  }
}

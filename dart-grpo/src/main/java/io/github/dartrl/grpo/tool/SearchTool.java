package io.github.dartrl.grpo.tool;

import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import java.util.List;
import java.util.Objects;

/**
 * Search-R1's search over any {@link Retriever}: the calls of a turn go to the retriever in one
 * batch, each observation is {@code \n\n<information>Doc 1(Title: …) …</information>\n\n} ({@link
 * ObservationFormatter}), cut to the token limit with the closing tag kept. A retriever failure
 * propagates (the trainer's retriever-failure policy decides what it means).
 *
 * @param span where a query is written, e.g. {@code <search>…</search>}
 * @param retriever where the passages come from
 * @param topK passages per query
 */
public record SearchTool(ToolSpan span, Retriever retriever, int topK) implements Tool {

  public SearchTool {
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(retriever, "retriever");
    if (topK <= 0) {
      throw new IllegalArgumentException("topK must be > 0, got " + topK);
    }
  }

  @Override
  public String name() {
    return "search";
  }

  @Override
  public List<String> execute(List<String> calls) {
    return retrieve(calls).stream().map(ObservationFormatter::text).toList();
  }

  /**
   * The passages of each query (what {@link #execute} formats; trajectories keep them for rewards
   * and retrieval metrics).
   */
  public List<List<Passage>> retrieve(List<String> queries) {
    List<List<Passage>> results = retriever.search(queries, topK);
    if (results.size() != queries.size()) {
      throw new IllegalStateException(
          "retriever returned "
              + results.size()
              + " result lists for "
              + queries.size()
              + " queries");
    }
    return results;
  }

  @Override
  public long[] observationTokens(String observation, TextTokenizer tokenizer, int maxTokens) {
    return new ObservationFormatter(tokenizer, maxTokens).tokens(observation);
  }
}

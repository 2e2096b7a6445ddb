package io.github.dartrl.grpo.retrieval;

import java.util.List;
import java.util.Objects;

/** The argument checks every {@link Retriever} applies, in one place. */
final class SearchArguments {

  private SearchArguments() {}

  /** Rejects {@code topK < 1} and null queries, naming the offending index. */
  static void check(List<String> queries, int topK) {
    Objects.requireNonNull(queries, "queries");
    if (topK < 1) {
      throw new IllegalArgumentException("topK must be at least 1, got " + topK);
    }
    for (int i = 0; i < queries.size(); i++) {
      if (queries.get(i) == null) {
        throw new NullPointerException("query " + i + " is null");
      }
    }
  }
}

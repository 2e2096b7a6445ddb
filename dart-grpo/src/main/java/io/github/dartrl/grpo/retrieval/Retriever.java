package io.github.dartrl.grpo.retrieval;

import java.util.List;

/**
 * Finds passages for search queries: the tool the agent learns to call.
 *
 * <p>Queries are batched because a rollout step issues one query per active trajectory and remote
 * retrievers answer a batch in one round trip. Implementations must be safe to call from several
 * threads at once.
 */
public interface Retriever extends AutoCloseable {

  /**
   * Searches each query and returns its best passages.
   *
   * @param queries the queries, in order; an empty list gives an empty result
   * @param topK the maximum number of passages per query, at least 1
   * @return one list per query, in query order, each sorted best first and at most {@code topK}
   *     long (shorter when fewer passages match)
   * @throws RetrieverException when the search fails (index unreadable, server unreachable, ...)
   * @throws IllegalArgumentException when {@code topK < 1}
   */
  List<List<Passage>> search(List<String> queries, int topK);

  /** Searches one query; see {@link #search(List, int)}. */
  default List<Passage> search(String query, int topK) {
    return search(List.of(query), topK).get(0);
  }

  /** Releases the index or connections; the default does nothing. */
  @Override
  default void close() {}
}

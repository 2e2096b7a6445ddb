package io.github.dartrl.grpo.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class CachingRetrieverTest {

  /** Answers "query#k" as a single passage and records every batch it is asked. */
  private static final class Recording implements Retriever {
    final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
    boolean closed;

    @Override
    public List<List<Passage>> search(List<String> queries, int topK) {
      calls.add(List.copyOf(queries));
      return queries.stream()
          .map(q -> List.of(new Passage(q + "#" + topK, q, "text", 1.0)))
          .toList();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void returnsCachedResultsAndCountsHitsAndMisses() {
    Recording inner = new Recording();
    CachingRetriever cache = new CachingRetriever(inner, 10);
    List<Passage> first = cache.search("a", 3);
    List<Passage> again = cache.search("a", 3);
    assertThat(again).isEqualTo(first).isSameAs(first);
    assertThat(inner.calls).containsExactly(List.of("a"));
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(1);

    // Another k is another key.
    assertThat(cache.search("a", 5).get(0).id()).isEqualTo("a#5");
    assertThat(inner.calls).hasSize(2);
  }

  @Test
  void batchSendsOnlyDistinctMissesInOneCallAndKeepsOrder() {
    Recording inner = new Recording();
    CachingRetriever cache = new CachingRetriever(inner, 10);
    cache.search("b", 3);
    List<List<Passage>> result = cache.search(List.of("a", "b", "c", "a"), 3);
    assertThat(result)
        .extracting(hits -> hits.get(0).id())
        .containsExactly("a#3", "b#3", "c#3", "a#3");
    assertThat(inner.calls).containsExactly(List.of("b"), List.of("a", "c"));
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(4);
    assertThat(cache.size()).isEqualTo(3);
  }

  @Test
  void evictsTheLeastRecentlyUsedEntry() {
    Recording inner = new Recording();
    CachingRetriever cache = new CachingRetriever(inner, 2);
    cache.search("a", 3);
    cache.search("b", 3);
    cache.search("a", 3); // a is now more recent than b
    cache.search("c", 3); // evicts b
    assertThat(cache.size()).isEqualTo(2);
    inner.calls.clear();
    cache.search("a", 3);
    assertThat(inner.calls).isEmpty();
    cache.search("b", 3);
    assertThat(inner.calls).containsExactly(List.of("b"));
  }

  @Test
  void concurrentUseStaysConsistentAndBounded() throws Exception {
    Recording inner = new Recording();
    CachingRetriever cache = new CachingRetriever(inner, 16);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int seed = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    String q = "q" + ((i * 7 + seed) % 40);
                    assertThat(cache.search(q, 2).get(0).id()).isEqualTo(q + "#2");
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(cache.size()).isLessThanOrEqualTo(16);
    assertThat(cache.hits() + cache.misses()).isEqualTo(2000);
  }

  @Test
  void closeClosesTheDelegate() {
    Recording inner = new Recording();
    new CachingRetriever(inner, 1).close();
    assertThat(inner.closed).isTrue();
  }
}

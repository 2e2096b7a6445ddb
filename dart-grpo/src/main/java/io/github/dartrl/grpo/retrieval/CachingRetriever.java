package io.github.dartrl.grpo.retrieval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Retriever} decorator that remembers results in a bounded LRU cache keyed by (query
 * string, k).
 *
 * <p>GRPO samples several rollouts per prompt, and they often issue the same query; the cache saves
 * those repeats (and the HTTP round trips of a remote retriever). Queries are keyed exactly as
 * given, without normalisation, because the retriever may treat case or punctuation as meaningful.
 * A batch looks every query up, sends only the distinct misses to the delegate in one call, and
 * then caches them.
 *
 * <p>Thread-safe. Two threads missing the same key at once may both ask the delegate; the results
 * are equal, so the second write is harmless. Closing this closes the delegate.
 */
public final class CachingRetriever implements Retriever {

  private record Key(String query, int topK) {}

  private final Retriever delegate;
  private final int maxEntries;
  private final Map<Key, List<Passage>> cache;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();

  /**
   * Wraps a retriever.
   *
   * @param delegate the retriever to cache
   * @param maxEntries the most (query, k) entries kept; the least recently used goes first
   */
  public CachingRetriever(Retriever delegate, int maxEntries) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be >= 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
    // accessOrder = true turns insertion order into recency order: get() moves an entry last.
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, List<Passage>> eldest) {
            return size() > CachingRetriever.this.maxEntries;
          }
        };
  }

  @Override
  public List<List<Passage>> search(List<String> queries, int topK) {
    SearchArguments.check(queries, topK);
    List<List<Passage>> results = new ArrayList<>(queries.size());
    Map<String, List<Integer>> missing = new LinkedHashMap<>();
    synchronized (cache) {
      for (int i = 0; i < queries.size(); i++) {
        List<Passage> cached = cache.get(new Key(queries.get(i), topK));
        results.add(cached);
        if (cached == null) {
          missing.computeIfAbsent(queries.get(i), q -> new ArrayList<>()).add(i);
        }
      }
    }
    hits.addAndGet(queries.size() - missing.values().stream().mapToLong(List::size).sum());
    if (missing.isEmpty()) {
      return results;
    }
    misses.addAndGet(missing.values().stream().mapToLong(List::size).sum());
    List<String> toFetch = new ArrayList<>(missing.keySet());
    // The delegate runs outside the lock so that slow searches do not serialise all callers.
    List<List<Passage>> fetched = delegate.search(toFetch, topK);
    synchronized (cache) {
      for (int j = 0; j < toFetch.size(); j++) {
        List<Passage> passages = List.copyOf(fetched.get(j));
        cache.put(new Key(toFetch.get(j), topK), passages);
        for (int i : missing.get(toFetch.get(j))) {
          results.set(i, passages);
        }
      }
    }
    return results;
  }

  /** How many queries were answered from the cache. */
  public long hits() {
    return hits.get();
  }

  /** How many queries had to go to the delegate (a repeat within one batch counts each time). */
  public long misses() {
    return misses.get();
  }

  /** The number of cached entries. */
  public int size() {
    synchronized (cache) {
      return cache.size();
    }
  }

  /** The most entries kept. */
  public int maxEntries() {
    return maxEntries;
  }

  /** Forgets every cached entry; the counters are kept. */
  public void clear() {
    synchronized (cache) {
      cache.clear();
    }
  }

  /** Closes the delegate. */
  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "CachingRetriever[" + delegate + ", max " + maxEntries + "]";
  }
}

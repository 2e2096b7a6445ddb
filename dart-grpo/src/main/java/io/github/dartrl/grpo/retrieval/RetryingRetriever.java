package io.github.dartrl.grpo.retrieval;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a retriever's failed calls: at most {@code 1 + maxRetries} attempts per call, with the
 * sleep {@code backoff.apply(n)} before retry n. A {@link RetrieverException} (or any other runtime
 * exception of the delegate) counts as a failure; after the last attempt the last failure is
 * thrown, its message saying how many attempts were made. Counts retries and exhausted calls for
 * metrics. Thread-safe if the delegate is; closing closes the delegate.
 */
public final class RetryingRetriever implements Retriever {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingRetriever.class);

  private final Retriever delegate;
  private final int maxRetries;
  private final IntFunction<Duration> backoff;
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong exhausted = new AtomicLong();

  /**
   * @param delegate the retriever to call
   * @param maxRetries retries after the first attempt, ≥ 0
   * @param backoff sleep before retry n (1-based)
   */
  public RetryingRetriever(Retriever delegate, int maxRetries, IntFunction<Duration> backoff) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be >= 0, got " + maxRetries);
    }
    this.maxRetries = maxRetries;
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  @Override
  public List<List<Passage>> search(List<String> queries, int topK) {
    RuntimeException last = null;
    for (int attempt = 1; attempt <= 1 + maxRetries; attempt++) {
      if (attempt > 1) {
        retries.incrementAndGet();
        sleep(backoff.apply(attempt - 1));
      }
      try {
        return delegate.search(queries, topK);
      } catch (IllegalArgumentException e) {
        throw e; // a bad request does not get better by asking again
      } catch (RuntimeException e) {
        last = e;
        LOG.warn("retriever call attempt {}/{} failed: {}", attempt, 1 + maxRetries, e.toString());
      }
    }
    exhausted.incrementAndGet();
    throw new RetrieverException(
        "retriever failed after "
            + (1 + maxRetries)
            + (maxRetries == 0 ? " attempt: " : " attempts: ")
            + last.getMessage(),
        last);
  }

  /** Retries made so far (attempts after a call's first). */
  public long retries() {
    return retries.get();
  }

  /** Calls that failed on every attempt so far. */
  public long exhaustedCalls() {
    return exhausted.get();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private static void sleep(Duration d) {
    if (d.isZero()) {
      return;
    }
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RetrieverException("interrupted while waiting to retry the retriever", e);
    }
  }
}

package io.github.dartrl.grpo.train;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link Trainer} does when the retriever fails during a training rollout: retry the failed
 * call up to {@code maxRetries} times, sleeping {@code backoff × 2^(n-1)} (capped at {@value
 * #MAX_BACKOFF_SECONDS} s) before retry n; if it still fails, either skip the step's batch (no
 * update; the step counts, the data cursor moves on) or stop with a {@link TrainingHaltedException}
 * that names the intact last checkpoint. A retriever that stays down cannot silently skip a whole
 * run: after {@code maxConsecutiveSkips} skipped batches in a row the next failure stops training.
 * Retries, skipped batches and the per-step outcome are logged as {@code faults/*} metrics.
 *
 * <p>An evaluation whose retriever fails is skipped with a warning under {@code SKIP_BATCH} and
 * stops training under {@code STOP}. These retries come on top of a client's own (e.g. {@link
 * io.github.dartrl.grpo.retrieval.HttpRetrieverConfig#maxRetries()}).
 *
 * @param maxRetries retries of a failed retriever call, in [0, 100]
 * @param backoff sleep before the first retry, doubled for each further one; zero allowed
 * @param onExhausted what to do when a call has failed {@code 1 + maxRetries} times
 * @param maxConsecutiveSkips skipped batches in a row tolerated under {@code SKIP_BATCH}, ≥ 0
 */
public record RetrieverFailurePolicy(
    int maxRetries, Duration backoff, Action onExhausted, int maxConsecutiveSkips) {
  static final int MAX_BACKOFF_SECONDS = 30;

  /** The outcome when retries are exhausted. */
  public enum Action {
    /** Skip this step's batch and go on with the next step. */
    SKIP_BATCH,
    /** Stop training; the last checkpoint stays as it was. */
    STOP
  }

  public RetrieverFailurePolicy {
    if (maxRetries < 0 || maxRetries > 100) {
      throw new IllegalArgumentException("maxRetries must be in [0, 100], got " + maxRetries);
    }
    Objects.requireNonNull(backoff, "backoff");
    if (backoff.isNegative()) {
      throw new IllegalArgumentException("backoff must not be negative, got " + backoff);
    }
    Objects.requireNonNull(onExhausted, "onExhausted");
    if (maxConsecutiveSkips < 0) {
      throw new IllegalArgumentException(
          "maxConsecutiveSkips must be >= 0, got " + maxConsecutiveSkips);
    }
  }

  /** The default: 2 retries from 1 s, then stop. */
  public static RetrieverFailurePolicy defaults() {
    return stop(2, Duration.ofSeconds(1));
  }

  /** Retry, then stop training. */
  public static RetrieverFailurePolicy stop(int maxRetries, Duration backoff) {
    return new RetrieverFailurePolicy(maxRetries, backoff, Action.STOP, 0);
  }

  /** Retry, then skip the batch; stop after {@code maxConsecutiveSkips} skips in a row. */
  public static RetrieverFailurePolicy skipBatch(
      int maxRetries, Duration backoff, int maxConsecutiveSkips) {
    return new RetrieverFailurePolicy(maxRetries, backoff, Action.SKIP_BATCH, maxConsecutiveSkips);
  }

  /** The sleep before retry {@code n} (1-based). */
  public Duration backoffBefore(int n) {
    long ms = backoff.toMillis() << Math.min(n - 1, 20);
    return Duration.ofMillis(Math.min(ms, MAX_BACKOFF_SECONDS * 1000L));
  }
}

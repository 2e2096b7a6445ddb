package io.github.dartrl.grpo.train;

import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import io.github.dartrl.grpo.retrieval.RetryingRetriever;
import java.nio.file.Path;

/**
 * The {@link Trainer}'s side of a {@link RetrieverFailurePolicy}: the retrying retriever the
 * rollouts use, the decision to skip a batch or stop when a call has failed for good, and the
 * counters that go into metrics and checkpoints.
 */
final class RetrieverFaults {
  private final RetrieverFailurePolicy policy;
  private final RetryingRetriever retriever;
  private int skippedBatches;
  private int consecutiveSkips;
  private long retriesBefore; // counted by earlier runs of the same run directory

  RetrieverFaults(Retriever delegate, RetrieverFailurePolicy policy) {
    this.policy = policy;
    this.retriever = new RetryingRetriever(delegate, policy.maxRetries(), policy::backoffBefore);
  }

  /** The retriever rollouts call: the user's, with the policy's retries. */
  Retriever retriever() {
    return retriever;
  }

  /** A rollout got all its passages. */
  void succeeded() {
    consecutiveSkips = 0;
  }

  /**
   * A training rollout failed after its retries: returns normally if the batch is to be skipped
   * (counted), else throws.
   *
   * @param step the step that failed (1-based)
   * @throws TrainingHaltedException under STOP, or when too many batches in a row were skipped
   */
  void batchFailed(RetrieverException e, int step, Path lastCheckpoint) {
    if (policy.onExhausted() == RetrieverFailurePolicy.Action.STOP) {
      throw new TrainingHaltedException("the retriever failed", step, lastCheckpoint, e);
    }
    if (consecutiveSkips >= policy.maxConsecutiveSkips()) {
      throw new TrainingHaltedException(
          "the retriever failed on "
              + (consecutiveSkips + 1)
              + " batches in a row (maxConsecutiveSkips "
              + policy.maxConsecutiveSkips()
              + ")",
          step,
          lastCheckpoint,
          e);
    }
    consecutiveSkips++;
    skippedBatches++;
  }

  /**
   * An evaluation failed after its retries: returns normally if it is to be skipped.
   *
   * @throws TrainingHaltedException under STOP
   */
  void evaluationFailed(RetrieverException e, int step, Path lastCheckpoint) {
    if (policy.onExhausted() == RetrieverFailurePolicy.Action.STOP) {
      throw new TrainingHaltedException(
          "the retriever failed during evaluation", step, lastCheckpoint, e);
    }
  }

  /** Retries made by remote workers' retrievers (distributed rollouts). */
  void addWorkerRetries(long n) {
    retriesBefore += n;
  }

  int skippedBatches() {
    return skippedBatches;
  }

  /** Retries over the whole run directory, resumed runs included. */
  long retries() {
    return retriesBefore + retriever.retries();
  }

  void restore(int skippedBatches, long retries) {
    this.skippedBatches = skippedBatches;
    this.retriesBefore = retries - retriever.retries();
  }
}

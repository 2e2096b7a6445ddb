package io.github.dartrl.grpo.train;

import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.List;

/**
 * Where a {@link Trainer} runs the heavy halves of a GRPO step when they do not run in-process: the
 * rollouts (with rewards and π_old/π_ref) and the adapter gradients, on workers that each hold a
 * replica of the backbone (Spark executors: {@code io.github.dartrl.grpo.distributed}). The driver
 * keeps the state: it broadcasts the adapters, computes the group advantages, clips the summed
 * gradient, steps AdamW and writes the checkpoints, so switching from local to distributed changes
 * no result beyond float summation order.
 *
 * <p>Contract: row {@code i * G + j} of a rollout is sample j of prompt i, sampled from the stream
 * of (step seed, row), whatever the partitioning; a retriever that fails for good on a worker
 * surfaces as a {@link io.github.dartrl.grpo.retrieval.RetrieverException} of {@link #rollout}, so
 * the {@link RetrieverFailurePolicy} applies as locally.
 */
public interface DistributedRollouts {

  /**
   * A step's rollouts, in row order.
   *
   * @param rewards reward per trajectory
   * @param exactMatches trajectories whose answer matched
   * @param oldLogProbs π_old per trajectory and token (null entries unless recomputed)
   * @param refLogProbs π_ref per trajectory and token (null entries unless KL is on)
   * @param retries retriever retries the workers made
   */
  record RolloutBatch(
      List<Trajectory> trajectories,
      double[] rewards,
      int exactMatches,
      float[][] oldLogProbs,
      float[][] refLogProbs,
      long retries) {}

  /**
   * The rows of one mini-batch update.
   *
   * @param totalTokens trained tokens of the whole mini-batch (every loss aggregation divides by
   *     the mini-batch's own denominators, so workers get them)
   * @param totalSeqs sequences of the mini-batch with a trained token
   * @param firstOfUpdate the first mini-batch of the step (its ratio deviation is reported)
   */
  record GradientTask(
      List<Trajectory> trajectories,
      float[][] oldLogProbs,
      float[][] refLogProbs,
      float[] advantages,
      double totalTokens,
      double totalSeqs,
      boolean firstOfUpdate) {}

  /**
   * Rolls out {@code groupSize} samples of each prompt with {@code adapters} installed, scores them
   * and computes π_old/π_ref as the config asks.
   */
  RolloutBatch rollout(
      AdapterWeights adapters, List<QaExample> prompts, int groupSize, long stepSeed);

  /** The summed gradient of a mini-batch's rows under {@code adapters}. */
  GradientShare gradient(AdapterWeights adapters, GradientTask task);
}

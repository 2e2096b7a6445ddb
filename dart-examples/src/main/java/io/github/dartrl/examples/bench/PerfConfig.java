package io.github.dartrl.examples.bench;

import io.github.dartrl.core.model.ModelConfig;
import java.util.List;

/**
 * Sizes of one performance-suite run.
 *
 * @param trainModel model of the training-step and memory measurements
 * @param trainRows rows per training batch
 * @param trainSeq tokens per training row
 * @param decodeModel model of the decode, rollout and multi-turn measurements
 * @param decodeTokens tokens generated per timed decode
 * @param contexts prompt lengths of the batch-1 decode measurements (first one is the reference)
 * @param rolloutBatches batch sizes of the rollout measurements (first one is the reference)
 * @param rolloutTokens tokens sampled per row in a rollout measurement
 * @param turns observation appends in the multi-turn measurement
 * @param reps timed rounds per measurement (after one warm-up round), medians reported
 * @param gemmSizes matrix sizes of the GEMM ceiling
 * @param memory whether to run the memory measurement (one child JVM per method)
 * @param memoryRows rows per training batch in the memory measurement
 */
public record PerfConfig(
    ModelConfig trainModel,
    int trainRows,
    int trainSeq,
    ModelConfig decodeModel,
    int decodeTokens,
    List<Integer> contexts,
    List<Integer> rolloutBatches,
    int rolloutTokens,
    int turns,
    int reps,
    List<Integer> gemmSizes,
    boolean memory,
    int memoryRows) {

  public PerfConfig {
    contexts = List.copyOf(contexts);
    rolloutBatches = List.copyOf(rolloutBatches);
    gemmSizes = List.copyOf(gemmSizes);
    if (trainRows <= 0 || trainSeq <= 1 || decodeTokens <= 1 || rolloutTokens <= 1) {
      throw new IllegalArgumentException("batch sizes and token counts must be positive");
    }
    if (contexts.isEmpty() || rolloutBatches.isEmpty() || gemmSizes.isEmpty()) {
      throw new IllegalArgumentException("need at least one context, rollout batch and GEMM size");
    }
    if (turns < 2 || reps < 1 || memoryRows < 1) {
      throw new IllegalArgumentException("need turns >= 2, reps >= 1, memoryRows >= 1");
    }
    if (trainSeq > trainModel.maxPositions()) {
      throw new IllegalArgumentException("trainSeq exceeds the model's max positions");
    }
  }

  /**
   * The sizes: a d=512, 8-layer Qwen2 model (vocab 32000, 41.6 M parameters, tied
   * embeddings) trained on 8 × 256 tokens, and a 12-layer variant (54.2 M) for decoding.
   */
  public static PerfConfig standard(int reps) {
    return new PerfConfig(
        ModelConfig.qwen2(32000, 512, 8, 8, 4, 1536, 2048),
        8,
        256,
        ModelConfig.qwen2(32000, 512, 12, 8, 4, 1536, 2048),
        32,
        List.of(32, 512),
        List.of(1, 4, 16),
        64,
        8,
        reps,
        List.of(512, 1024, 2048),
        true,
        4);
  }

  /** Tiny sizes that exercise every measurement in seconds (smoke test, not figures). */
  public static PerfConfig quick() {
    return new PerfConfig(
        ModelConfig.qwen2(256, 32, 2, 4, 2, 64, 256),
        2,
        16,
        ModelConfig.qwen2(256, 32, 2, 4, 2, 64, 256),
        4,
        List.of(8, 32),
        List.of(1, 4),
        4,
        2,
        1,
        List.of(64),
        false,
        2);
  }
}

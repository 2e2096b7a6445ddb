package io.github.dartrl.examples.distributed;

import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.train.GrpoConfig;
import java.io.Serializable;

/**
 * The run {@link SparkCheck} compares, as numbers, so that driver and executors build the same
 * {@link GrpoConfig} from them.
 *
 * @param steps GRPO steps of each run
 * @param prompts prompts per step
 * @param groupSize samples per prompt (G)
 * @param microBatch trajectories per forward/backward
 * @param seed data order, sampling and adapter init
 */
record CheckSettings(int steps, int prompts, int groupSize, int microBatch, long seed)
    implements Serializable {

  GrpoConfig grpo() {
    return GrpoConfig.builder()
        .totalSteps(steps)
        .promptsPerStep(prompts)
        .groupSize(groupSize)
        .microBatchSize(microBatch)
        .learningRate(1e-3)
        .warmupRatio(0)
        .checkpointEvery(steps)
        .logEntropy(false)
        .rollout(RolloutConfig.searchR1().withMaxTurns(2).withTurnTokens(24, 48).withTopK(2))
        .seed(seed)
        .build();
  }

  PolicyConfig policy() {
    return PolicyConfig.dart().withSeed(seed);
  }
}

package io.github.dartrl.examples.quickstart;

import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.examples.world.DemonstrationConfig;
import io.github.dartrl.examples.world.WorldConfig;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.sft.SftConfig;
import io.github.dartrl.grpo.train.GrpoConfig;

/** The named quickstart configurations; every knob of the measured run is here, at the top. */
final class QuickstartPresets {
  private QuickstartPresets() {}

  // --- the default run (docs/results.md) ---
  static final TinyModels.Size MODEL = new TinyModels.Size(128, 4, 4, 2, 384, 1024);
  static final int SFT_EPOCHS = 4;
  static final int SFT_BATCH = 8;
  static final double SFT_LR = 3e-3;
  static final int GRPO_STEPS = 60;
  static final int GRPO_PROMPTS = 16;
  static final int GRPO_GROUP = 5;
  static final double GRPO_LR = 1e-3;
  static final int MAX_TURNS = 3;
  static final int TURN_TOKENS = 48;
  static final int OBSERVATION_TOKENS = 160;
  static final double BUDGET_MINUTES = 18;

  static RolloutConfig rollout() {
    return RolloutConfig.searchR1()
        .withMaxTurns(MAX_TURNS)
        .withTurnTokens(TURN_TOKENS, OBSERVATION_TOKENS);
  }

  static QuickstartConfig defaults() {
    return new QuickstartConfig(
        WorldConfig.defaults(),
        MODEL,
        1,
        QuickstartConfig.shortInstruction(),
        DemonstrationConfig.defaults(),
        SftConfig.builder()
            .learningRate(SFT_LR)
            .epochs(SFT_EPOCHS)
            .batchSize(SFT_BATCH)
            .microBatchSize(SFT_BATCH)
            .warmupRatio(0.03)
            .logEvery(50)
            .seed(1)
            .build(),
        PolicyConfig.dart().withSeed(1),
        GrpoConfig.builder()
            .totalSteps(GRPO_STEPS)
            .promptsPerStep(GRPO_PROMPTS)
            .groupSize(GRPO_GROUP)
            .learningRate(GRPO_LR)
            .warmupRatio(0.1)
            .microBatchSize(16)
            .rollout(rollout())
            .checkpointEvery(0)
            .keepCheckpoints(1)
            .evalBatchSize(48)
            .seed(1)
            .build(),
        0,
        BUDGET_MINUTES);
  }

  static QuickstartConfig smoke() {
    return new QuickstartConfig(
        WorldConfig.small(),
        new TinyModels.Size(32, 2, 4, 2, 64, 1024),
        1,
        QuickstartConfig.shortInstruction(),
        DemonstrationConfig.defaults(),
        SftConfig.builder()
            .learningRate(3e-3)
            .epochs(1)
            .batchSize(16)
            .microBatchSize(16)
            .logEvery(5)
            .seed(1)
            .build(),
        PolicyConfig.dart().withSeed(1),
        GrpoConfig.builder()
            .totalSteps(2)
            .promptsPerStep(4)
            .groupSize(2)
            .learningRate(1e-3)
            .warmupRatio(0)
            .rollout(RolloutConfig.searchR1().withMaxTurns(2).withTurnTokens(16, 160))
            .checkpointEvery(0)
            .keepCheckpoints(1)
            .evalBatchSize(16)
            .seed(1)
            .build(),
        16,
        0);
  }
}

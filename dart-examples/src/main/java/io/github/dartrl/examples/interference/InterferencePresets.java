package io.github.dartrl.examples.interference;

import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.examples.quickstart.QuickstartConfig;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.leas.attribution.AttributionConfig;
import io.github.dartrl.leas.variant.HybridMode;
import java.util.List;

/** The named interference configurations; every knob of the measured run is here, at the top. */
final class InterferencePresets {
  private InterferencePresets() {}

  // --- the default run (docs/leas.md) ---
  /**
   * Half the quickstart's model (d=64, 2 layers, MLP 192; about 1/3 of its compute per token): the
   * job trains three variants and samples six, on a 2-core machine shared with other jobs.
   */
  static final TinyModels.Size MODEL = new TinyModels.Size(64, 2, 4, 2, 192, 1024);

  /**
   * SFT of the warm start: 2 epochs in batches of 16 (360 steps) instead of the quickstart's 4
   * epochs of 8 (1,440 steps).
   */
  static final int SFT_EPOCHS = 2;

  static final int SFT_BATCH = 16;
  static final double SFT_LR = 8e-3;

  /** GRPO steps per variant (16 prompts × G = 5 each, as the quickstart). */
  static final int GRPO_STEPS = 10;

  /** Test questions to attribute (about 1/3 of the test split). */
  static final int QUESTIONS = 120;

  /** N samples per question and variant: 6 variants × 120 questions × 10 = 7,200 rollouts. */
  static final int SAMPLES = 10;

  static final int QUESTIONS_PER_BATCH = 8;
  static final int PROBE_QUERIES = 12;
  static final int PROBE_GROUP = 8;
  static final double BUDGET_MINUTES = 45;

  static InterferenceConfig defaults() {
    QuickstartConfig d = QuickstartConfig.defaults();
    QuickstartConfig q =
        new QuickstartConfig(
                d.world(),
                MODEL,
                d.modelSeed(),
                d.instruction(),
                d.demonstrations(),
                d.sft(),
                d.policy(),
                d.grpo(),
                0,
                0)
            .withSft(
                d.sft().toBuilder()
                    .epochs(SFT_EPOCHS)
                    .batchSize(SFT_BATCH)
                    .microBatchSize(SFT_BATCH)
                    .learningRate(SFT_LR)
                    .build());
    return new InterferenceConfig(
        q,
        PolicyConfig.lora().withSeed(1),
        q.grpo().toBuilder().totalSteps(GRPO_STEPS).build(),
        QUESTIONS,
        SAMPLES,
        QUESTIONS_PER_BATCH,
        HybridMode.HANDOFF,
        AttributionConfig.defaults(),
        PROBE_QUERIES,
        PROBE_GROUP,
        List.of(ProbeTarget.BASE_FULL, ProbeTarget.UNIFIED_LORA),
        BUDGET_MINUTES);
  }

  static InterferenceConfig smoke() {
    QuickstartConfig q = QuickstartConfig.smoke();
    // enough SFT that the d=32 model searches and sometimes answers right: the attribution needs
    // a question some variant gets right, the probe a group with mixed rewards
    q =
        q.withSft(
            q.sft().toBuilder()
                .epochs(6)
                .learningRate(1e-2)
                .batchSize(8)
                .microBatchSize(8)
                .build());
    GrpoConfig grpo =
        q.grpo().toBuilder()
            .totalSteps(2)
            .promptsPerStep(4)
            .groupSize(2)
            // temperature 0.5: closer to greedy, so the weak smoke model answers some samples right
            .rollout(
                RolloutConfig.searchR1()
                    .withMaxTurns(2)
                    .withTurnTokens(16, 160)
                    .withSampling(0.5, 1.0))
            .build();
    return new InterferenceConfig(
        q,
        PolicyConfig.of(io.github.dartrl.core.policy.Method.LORA, 4).withSeed(1),
        grpo,
        12,
        4,
        6,
        HybridMode.HANDOFF,
        new AttributionConfig(AttributionConfig.defaults().smoothing(), 500, 0.95, 0, 10),
        12,
        4,
        List.of(ProbeTarget.BASE_LORA, ProbeTarget.BASE_FULL, ProbeTarget.UNIFIED_LORA),
        0);
  }
}

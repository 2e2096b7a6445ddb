package io.github.dartrl.grpo.train;

import com.google.auto.value.AutoBuilder;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.OptimConfig;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.grpo.loss.GrpoLoss;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a GRPO run is configured by. Build with {@link #builder()}; defaults are the paper's
 * (lr 1e-5 for adapters, warm-up 0.1, clip 0.2, k3 KL 0.001, temperature 1, top-p 1, G = 5, at most
 * 4 tool calls, top-3 passages). Values are validated when built; an out-of-range value names its
 * field.
 *
 * @param totalSteps GRPO steps (one rollout batch each)
 * @param promptsPerStep distinct prompts per step
 * @param groupSize G completions per prompt (≥ 2: advantages compare completions)
 * @param optim learning rate and schedule, AdamW, clipping and micro-batch size ({@link
 *     OptimConfig}, shared with SFT; its fields are also readable here, e.g. {@link
 *     #learningRate()}, and stored flat in checkpoints)
 * @param ppoEpochs passes over each rollout batch
 * @param miniBatches optimizer updates per pass (the batch is split into this many)
 * @param loss clip ratios, KL estimator and coefficient, entropy bonus, aggregation
 * @param scaleAdvantagesByStd GRPO (true) or Dr. GRPO (false) advantages
 * @param trainRoles roles whose tokens carry loss (LEAS variants train {REASONING} or {TOOL} only)
 * @param recomputeOldLogProbs recompute π_old with a training forward before updating (ratio
 *     exactly 1 on the first mini-batch) instead of using the sampler's log-probs
 * @param logEntropy compute per-token entropy for the metrics (costs a [B, L, V] pass)
 * @param rollout turns, token limits, sampling
 * @param checkpointEvery save a checkpoint every N steps (0 = only at the end)
 * @param keepCheckpoints how many checkpoints to keep
 * @param evalEvery evaluate on the eval set every N steps (0 = only at the end)
 * @param evalBatchSize questions per greedy evaluation batch
 * @param seed seeds data order, sampling and adapter initialisation
 */
public record GrpoConfig(
    int totalSteps,
    int promptsPerStep,
    int groupSize,
    OptimConfig optim,
    int ppoEpochs,
    int miniBatches,
    GrpoLoss.Config loss,
    boolean scaleAdvantagesByStd,
    Set<TokenRole> trainRoles,
    boolean recomputeOldLogProbs,
    boolean logEntropy,
    RolloutConfig rollout,
    int checkpointEvery,
    int keepCheckpoints,
    int evalEvery,
    int evalBatchSize,
    long seed) {

  public GrpoConfig {
    positive("totalSteps", totalSteps);
    positive("promptsPerStep", promptsPerStep);
    if (groupSize < 2) {
      throw new IllegalArgumentException(
          "groupSize must be >= 2 (GRPO compares completions), got " + groupSize);
    }
    Objects.requireNonNull(optim, "optim");
    positive("ppoEpochs", ppoEpochs);
    positive("miniBatches", miniBatches);
    if (miniBatches > promptsPerStep * groupSize) {
      throw new IllegalArgumentException(
          "miniBatches ("
              + miniBatches
              + ") exceeds the trajectories per step ("
              + promptsPerStep * groupSize
              + ")");
    }
    if (trainRoles.isEmpty() || trainRoles.stream().anyMatch(r -> !r.isSampled())) {
      throw new IllegalArgumentException(
          "trainRoles must be a non-empty subset of {REASONING, TOOL}, got " + trainRoles);
    }
    trainRoles = Set.copyOf(trainRoles);
    if (checkpointEvery < 0 || evalEvery < 0) {
      throw new IllegalArgumentException("checkpointEvery and evalEvery must be >= 0");
    }
    positive("keepCheckpoints", keepCheckpoints);
    positive("evalBatchSize", evalBatchSize);
  }

  private static void positive(String field, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + v);
    }
  }

  /** Peak learning rate ({@link OptimConfig#learningRate}). */
  public double learningRate() {
    return optim.learningRate();
  }

  /** Fraction of the optimizer updates spent warming up linearly. */
  public double warmupRatio() {
    return optim.warmupRatio();
  }

  /** Cosine decay after warm-up (else constant). */
  public boolean cosineSchedule() {
    return optim.cosineSchedule();
  }

  /** AdamW betas, eps, weight decay. */
  public AdamW.Config optimizer() {
    return optim.optimizer();
  }

  /** Global-norm clipping threshold (0 = off). */
  public double maxGradNorm() {
    return optim.maxGradNorm();
  }

  /** Trajectories per forward/backward (gradients accumulate). */
  public int microBatchSize() {
    return optim.microBatchSize();
  }

  /** Optimizer updates per GRPO step. */
  public int updatesPerStep() {
    return ppoEpochs * miniBatches;
  }

  /** The paper's defaults, which {@link #builder()} starts from. */
  private static final GrpoConfig DEFAULTS =
      new GrpoConfig(
          100,
          16,
          5,
          new OptimConfig(1e-5, 0.1, false, AdamW.Config.defaults(), 1.0, 8),
          1,
          1,
          GrpoLoss.Config.defaults(),
          true,
          EnumSet.of(TokenRole.REASONING, TokenRole.TOOL),
          true,
          true,
          RolloutConfig.searchR1(),
          50,
          3,
          0,
          32,
          42);

  /** A builder starting from the paper's defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new AutoBuilder_GrpoConfig_Builder(this);
  }

  /**
   * Builder for {@link GrpoConfig} (generated); every setter is optional. The optimisation setters
   * ({@code learningRate}, {@code microBatchSize}, ...) come from {@link OptimConfig.Settings}.
   */
  @AutoBuilder
  public interface Builder extends OptimConfig.Settings<Builder> {
    /** GRPO steps. */
    Builder totalSteps(int v);

    /** Distinct prompts per step. */
    Builder promptsPerStep(int v);

    /** G completions per prompt. */
    Builder groupSize(int v);

    /** Passes over each rollout batch. */
    Builder ppoEpochs(int v);

    /** Optimizer updates per pass. */
    Builder miniBatches(int v);

    /** Clip ratios, KL, entropy bonus, aggregation. */
    Builder loss(GrpoLoss.Config v);

    /** GRPO (true) or Dr. GRPO (false) advantages. */
    Builder scaleAdvantagesByStd(boolean v);

    /** Roles whose tokens carry loss. */
    Builder trainRoles(Set<TokenRole> v);

    /** Recompute π_old with a training forward before updating. */
    Builder recomputeOldLogProbs(boolean v);

    /** Compute per-token entropy for the metrics. */
    Builder logEntropy(boolean v);

    /** Turns, token limits, sampling. */
    Builder rollout(RolloutConfig v);

    /** Save a checkpoint every N steps (0 = only at the end). */
    Builder checkpointEvery(int v);

    /** How many checkpoints to keep. */
    Builder keepCheckpoints(int v);

    /** Evaluate every N steps (0 = only at the end). */
    Builder evalEvery(int v);

    /** Questions per greedy evaluation batch. */
    Builder evalBatchSize(int v);

    /** Seeds data order, sampling and adapter initialisation. */
    Builder seed(long v);

    /** The validated config. */
    GrpoConfig build();
  }
}

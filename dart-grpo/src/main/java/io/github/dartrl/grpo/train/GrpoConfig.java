package io.github.dartrl.grpo.train;

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

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from the paper's defaults. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.totalSteps = totalSteps;
    b.promptsPerStep = promptsPerStep;
    b.groupSize = groupSize;
    b.optim(optim);
    b.ppoEpochs = ppoEpochs;
    b.miniBatches = miniBatches;
    b.loss = loss;
    b.scaleAdvantagesByStd = scaleAdvantagesByStd;
    b.trainRoles = trainRoles;
    b.recomputeOldLogProbs = recomputeOldLogProbs;
    b.logEntropy = logEntropy;
    b.rollout = rollout;
    b.checkpointEvery = checkpointEvery;
    b.keepCheckpoints = keepCheckpoints;
    b.evalEvery = evalEvery;
    b.evalBatchSize = evalBatchSize;
    b.seed = seed;
    return b;
  }

  /** Builder for {@link GrpoConfig}; every setter is optional. */
  public static final class Builder extends OptimConfig.Settings<Builder> {
    private int totalSteps = 100;
    private int promptsPerStep = 16;
    private int groupSize = 5;
    private int ppoEpochs = 1;
    private int miniBatches = 1;
    private GrpoLoss.Config loss = GrpoLoss.Config.defaults();
    private boolean scaleAdvantagesByStd = true;
    private Set<TokenRole> trainRoles = EnumSet.of(TokenRole.REASONING, TokenRole.TOOL);
    private boolean recomputeOldLogProbs = true;
    private boolean logEntropy = true;
    private RolloutConfig rollout = RolloutConfig.searchR1();
    private int checkpointEvery = 50;
    private int keepCheckpoints = 3;
    private int evalEvery;
    private int evalBatchSize = 32;
    private long seed = 42;

    private Builder() {
      super(new OptimConfig(1e-5, 0.1, false, AdamW.Config.defaults(), 1.0, 8));
    }

    @Override
    protected Builder self() {
      return this;
    }

    public Builder totalSteps(int v) {
      totalSteps = v;
      return this;
    }

    public Builder promptsPerStep(int v) {
      promptsPerStep = v;
      return this;
    }

    public Builder groupSize(int v) {
      groupSize = v;
      return this;
    }

    public Builder ppoEpochs(int v) {
      ppoEpochs = v;
      return this;
    }

    public Builder miniBatches(int v) {
      miniBatches = v;
      return this;
    }

    public Builder loss(GrpoLoss.Config v) {
      loss = v;
      return this;
    }

    public Builder scaleAdvantagesByStd(boolean v) {
      scaleAdvantagesByStd = v;
      return this;
    }

    public Builder trainRoles(Set<TokenRole> v) {
      trainRoles = v;
      return this;
    }

    public Builder recomputeOldLogProbs(boolean v) {
      recomputeOldLogProbs = v;
      return this;
    }

    public Builder logEntropy(boolean v) {
      logEntropy = v;
      return this;
    }

    public Builder rollout(RolloutConfig v) {
      rollout = v;
      return this;
    }

    public Builder checkpointEvery(int v) {
      checkpointEvery = v;
      return this;
    }

    public Builder keepCheckpoints(int v) {
      keepCheckpoints = v;
      return this;
    }

    public Builder evalEvery(int v) {
      evalEvery = v;
      return this;
    }

    public Builder evalBatchSize(int v) {
      evalBatchSize = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public GrpoConfig build() {
      return new GrpoConfig(
          totalSteps,
          promptsPerStep,
          groupSize,
          buildOptim(),
          ppoEpochs,
          miniBatches,
          loss,
          scaleAdvantagesByStd,
          trainRoles,
          recomputeOldLogProbs,
          logEntropy,
          rollout,
          checkpointEvery,
          keepCheckpoints,
          evalEvery,
          evalBatchSize,
          seed);
    }
  }
}

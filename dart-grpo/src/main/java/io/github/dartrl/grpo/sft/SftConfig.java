package io.github.dartrl.grpo.sft;

import io.github.dartrl.core.optim.AdamW;
import java.util.Objects;

/**
 * How a supervised warm-start runs. Build with {@link #builder()}; values are validated when built
 * and an out-of-range value names its field.
 *
 * @param learningRate peak learning rate (after warm-up)
 * @param epochs passes over the demonstrations
 * @param batchSize demonstrations per optimizer step (the last batch of an epoch may be smaller)
 * @param microBatchSize demonstrations per forward/backward (gradients accumulate over a batch; a
 *     value above {@code batchSize} means one micro-batch per batch)
 * @param warmupRatio fraction of optimizer steps spent warming up linearly from 0
 * @param cosineSchedule cosine decay to a tenth of the peak after warm-up (else constant)
 * @param optimizer AdamW betas, eps and weight decay
 * @param maxGradNorm global-norm clipping threshold (0 = off)
 * @param seed seeds the per-epoch shuffle
 * @param logEvery log averaged metrics and a progress line every this many optimizer steps
 */
public record SftConfig(
    double learningRate,
    int epochs,
    int batchSize,
    int microBatchSize,
    double warmupRatio,
    boolean cosineSchedule,
    AdamW.Config optimizer,
    double maxGradNorm,
    long seed,
    int logEvery) {

  /** Validates every field. */
  public SftConfig {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learningRate must be > 0 and finite, got " + learningRate);
    }
    positive("epochs", epochs);
    positive("batchSize", batchSize);
    positive("microBatchSize", microBatchSize);
    if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
      throw new IllegalArgumentException("warmupRatio must be in [0, 1], got " + warmupRatio);
    }
    Objects.requireNonNull(optimizer, "optimizer");
    if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
      throw new IllegalArgumentException(
          "maxGradNorm must be >= 0 and finite (0 = off), got " + maxGradNorm);
    }
    positive("logEvery", logEvery);
  }

  private static void positive(String field, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + v);
    }
  }

  /** Optimizer steps for {@code demonstrations} demonstrations. */
  public int totalSteps(int demonstrations) {
    return epochs * ((demonstrations + batchSize - 1) / batchSize);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new Builder()
        .learningRate(learningRate)
        .epochs(epochs)
        .batchSize(batchSize)
        .microBatchSize(microBatchSize)
        .warmupRatio(warmupRatio)
        .cosineSchedule(cosineSchedule)
        .optimizer(optimizer)
        .maxGradNorm(maxGradNorm)
        .seed(seed)
        .logEvery(logEvery);
  }

  /**
   * Builder for {@link SftConfig}; every setter is optional. Defaults: lr 1e-3, 1 epoch, batches of
   * 32 in micro-batches of 16, warm-up 0.05, cosine decay, AdamW (0.9, 0.999, 1e-8, wd 0.01), clip
   * 1.0, seed 42, log every 10 steps.
   */
  public static final class Builder {
    private double learningRate = 1e-3;
    private int epochs = 1;
    private int batchSize = 32;
    private int microBatchSize = 16;
    private double warmupRatio = 0.05;
    private boolean cosineSchedule = true;
    private AdamW.Config optimizer = AdamW.Config.defaults();
    private double maxGradNorm = 1.0;
    private long seed = 42;
    private int logEvery = 10;

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    public Builder microBatchSize(int v) {
      microBatchSize = v;
      return this;
    }

    public Builder warmupRatio(double v) {
      warmupRatio = v;
      return this;
    }

    public Builder cosineSchedule(boolean v) {
      cosineSchedule = v;
      return this;
    }

    public Builder optimizer(AdamW.Config v) {
      optimizer = v;
      return this;
    }

    public Builder maxGradNorm(double v) {
      maxGradNorm = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder logEvery(int v) {
      logEvery = v;
      return this;
    }

    public SftConfig build() {
      return new SftConfig(
          learningRate,
          epochs,
          batchSize,
          microBatchSize,
          warmupRatio,
          cosineSchedule,
          optimizer,
          maxGradNorm,
          seed,
          logEvery);
    }
  }
}

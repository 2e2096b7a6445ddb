package io.github.dartrl.core.optim;

import java.util.Objects;

/**
 * How gradients become updates, the same for supervised warm-up (SFT) and GRPO: the peak learning
 * rate and its schedule (linear warm-up over a fraction of the updates, then constant or cosine
 * decay to a tenth of the peak), AdamW's betas, eps and weight decay, global-norm clipping, and the
 * micro-batch size over which gradients accumulate before an update. Validated when built; an
 * out-of-range value names its field.
 *
 * @param learningRate peak learning rate (after warm-up), {@code > 0} and finite
 * @param warmupRatio fraction of the updates spent warming up linearly from 0, in [0, 1]
 * @param cosineSchedule cosine decay to a tenth of the peak after warm-up (else constant)
 * @param optimizer AdamW betas, eps and weight decay
 * @param maxGradNorm global-norm clipping threshold ({@code 0} = off)
 * @param microBatchSize sequences per forward/backward (gradients accumulate over an update)
 */
public record OptimConfig(
    double learningRate,
    double warmupRatio,
    boolean cosineSchedule,
    AdamW.Config optimizer,
    double maxGradNorm,
    int microBatchSize) {

  /** Validates every field. */
  public OptimConfig {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException(
          "learningRate must be > 0 and finite, got " + learningRate);
    }
    if (!(warmupRatio >= 0 && warmupRatio <= 1)) {
      throw new IllegalArgumentException("warmupRatio must be in [0, 1], got " + warmupRatio);
    }
    Objects.requireNonNull(optimizer, "optimizer");
    if (!(maxGradNorm >= 0) || Double.isInfinite(maxGradNorm)) {
      throw new IllegalArgumentException(
          "maxGradNorm must be >= 0 and finite (0 = off), got " + maxGradNorm);
    }
    if (microBatchSize <= 0) {
      throw new IllegalArgumentException("microBatchSize must be > 0, got " + microBatchSize);
    }
  }

  /** The learning rate of each of {@code totalUpdates} optimizer updates. */
  public LrSchedule schedule(int totalUpdates) {
    return cosineSchedule
        ? LrSchedule.cosine(learningRate, warmupRatio, totalUpdates, 0.1)
        : LrSchedule.constant(learningRate, warmupRatio, totalUpdates);
  }

  /**
   * The optimisation setters a training config's builder shares (SFT's and GRPO's), each defaulting
   * to the value the subclass starts from.
   *
   * @param <B> the builder type the setters return
   */
  public abstract static class Settings<B extends Settings<B>> {
    private double learningRate;
    private double warmupRatio;
    private boolean cosineSchedule;
    private AdamW.Config optimizer;
    private double maxGradNorm;
    private int microBatchSize;

    /** Starts from {@code defaults}. */
    protected Settings(OptimConfig defaults) {
      optim(defaults);
    }

    /** The builder itself, for chaining. */
    protected abstract B self();

    /** Peak learning rate (after warm-up). */
    public B learningRate(double v) {
      learningRate = v;
      return self();
    }

    /** Fraction of the updates spent warming up linearly from 0. */
    public B warmupRatio(double v) {
      warmupRatio = v;
      return self();
    }

    /** Cosine decay to a tenth of the peak after warm-up (else constant). */
    public B cosineSchedule(boolean v) {
      cosineSchedule = v;
      return self();
    }

    /** AdamW betas, eps and weight decay. */
    public B optimizer(AdamW.Config v) {
      optimizer = v;
      return self();
    }

    /** Global-norm clipping threshold (0 = off). */
    public B maxGradNorm(double v) {
      maxGradNorm = v;
      return self();
    }

    /** Sequences per forward/backward. */
    public B microBatchSize(int v) {
      microBatchSize = v;
      return self();
    }

    /** Every optimisation setting at once. */
    public B optim(OptimConfig v) {
      learningRate = v.learningRate();
      warmupRatio = v.warmupRatio();
      cosineSchedule = v.cosineSchedule();
      optimizer = v.optimizer();
      maxGradNorm = v.maxGradNorm();
      microBatchSize = v.microBatchSize();
      return self();
    }

    /** The settings as a validated config. */
    protected OptimConfig buildOptim() {
      return new OptimConfig(
          learningRate, warmupRatio, cosineSchedule, optimizer, maxGradNorm, microBatchSize);
    }
  }
}

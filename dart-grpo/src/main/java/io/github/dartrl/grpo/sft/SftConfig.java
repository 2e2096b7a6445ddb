package io.github.dartrl.grpo.sft;

import com.google.auto.value.AutoBuilder;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.OptimConfig;
import java.util.Objects;

/**
 * How a supervised warm-start runs. Build with {@link #builder()}; values are validated when built
 * and an out-of-range value names its field.
 *
 * @param optim learning rate and schedule, AdamW, clipping and micro-batch size ({@link
 *     OptimConfig}, shared with GRPO; its fields are also readable here); a micro-batch size above
 *     {@code batchSize} means one micro-batch per batch
 * @param epochs passes over the demonstrations
 * @param batchSize demonstrations per optimizer step (the last batch of an epoch may be smaller)
 * @param seed seeds the per-epoch shuffle
 * @param logEvery log averaged metrics and a progress line every this many optimizer steps
 */
public record SftConfig(OptimConfig optim, int epochs, int batchSize, long seed, int logEvery) {

  /** Validates every field. */
  public SftConfig {
    Objects.requireNonNull(optim, "optim");
    positive("epochs", epochs);
    positive("batchSize", batchSize);
    positive("logEvery", logEvery);
  }

  private static void positive(String field, int v) {
    if (v <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + v);
    }
  }

  /** Peak learning rate (after warm-up). */
  public double learningRate() {
    return optim.learningRate();
  }

  /** Demonstrations per forward/backward. */
  public int microBatchSize() {
    return optim.microBatchSize();
  }

  /** Fraction of optimizer steps spent warming up linearly from 0. */
  public double warmupRatio() {
    return optim.warmupRatio();
  }

  /** Cosine decay to a tenth of the peak after warm-up (else constant). */
  public boolean cosineSchedule() {
    return optim.cosineSchedule();
  }

  /** AdamW betas, eps and weight decay. */
  public AdamW.Config optimizer() {
    return optim.optimizer();
  }

  /** Global-norm clipping threshold (0 = off). */
  public double maxGradNorm() {
    return optim.maxGradNorm();
  }

  /** Optimizer steps for {@code demonstrations} demonstrations. */
  public int totalSteps(int demonstrations) {
    return epochs * ((demonstrations + batchSize - 1) / batchSize);
  }

  /**
   * The defaults {@link #builder()} starts from: lr 1e-3, 1 epoch, batches of 32 in micro-batches
   * of 16, warm-up 0.05, cosine decay, AdamW (0.9, 0.999, 1e-8, wd 0.01), clip 1.0, seed 42, log
   * every 10 steps.
   */
  private static final SftConfig DEFAULTS =
      new SftConfig(
          new OptimConfig(1e-3, 0.05, true, AdamW.Config.defaults(), 1.0, 16), 1, 32, 42, 10);

  /** A builder starting from the defaults (see {@link Builder}). */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new AutoBuilder_SftConfig_Builder(this);
  }

  /**
   * Builder for {@link SftConfig} (generated); every setter is optional. Defaults: lr 1e-3, 1
   * epoch, batches of 32 in micro-batches of 16, warm-up 0.05, cosine decay, AdamW (0.9, 0.999,
   * 1e-8, wd 0.01), clip 1.0, seed 42, log every 10 steps. The optimisation setters come from
   * {@link OptimConfig.Settings}.
   */
  @AutoBuilder
  public interface Builder extends OptimConfig.Settings<Builder> {
    /** Passes over the demonstrations. */
    Builder epochs(int v);

    /** Demonstrations per optimizer step. */
    Builder batchSize(int v);

    /** Seeds the per-epoch shuffle. */
    Builder seed(long v);

    /** Log every this many optimizer steps. */
    Builder logEvery(int v);

    /** The validated config. */
    SftConfig build();
  }
}

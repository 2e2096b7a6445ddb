package io.github.dartrl.core.optim;

import com.google.auto.value.AutoBuilder;
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

  /** A builder with nothing set: {@link Builder#build()} needs every field. */
  public static Builder builder() {
    return new AutoBuilder_OptimConfig_Builder();
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    return new AutoBuilder_OptimConfig_Builder(this);
  }

  /** Builder for {@link OptimConfig} (generated); {@link #toBuilder()} gives one. */
  @AutoBuilder
  public interface Builder {
    /** Peak learning rate (after warm-up). */
    Builder learningRate(double v);

    /** Fraction of the updates spent warming up linearly from 0. */
    Builder warmupRatio(double v);

    /** Cosine decay to a tenth of the peak after warm-up (else constant). */
    Builder cosineSchedule(boolean v);

    /** AdamW betas, eps and weight decay. */
    Builder optimizer(AdamW.Config v);

    /** Global-norm clipping threshold (0 = off). */
    Builder maxGradNorm(double v);

    /** Sequences per forward/backward. */
    Builder microBatchSize(int v);

    /** The validated config. */
    OptimConfig build();
  }

  /**
   * The optimisation setters a training config's builder shares (SFT's and GRPO's): each sets one
   * field of the config's {@code optim} property, starting from the value the config's defaults
   * give. A builder that extends this has an {@code optim} property of type {@link OptimConfig};
   * AutoBuilder implements {@link #optim} and {@link #optimBuilder}.
   *
   * @param <B> the builder type the setters return
   */
  public interface Settings<B extends Settings<B>> {
    /**
     * Every optimisation setting at once; call it before any of the single setters (after one of
     * them it throws {@link IllegalStateException}).
     */
    B optim(OptimConfig v);

    /** The builder of the {@code optim} property, started from its current value. */
    OptimConfig.Builder optimBuilder();

    /** Peak learning rate (after warm-up). */
    default B learningRate(double v) {
      optimBuilder().learningRate(v);
      return self();
    }

    /** Fraction of the updates spent warming up linearly from 0. */
    default B warmupRatio(double v) {
      optimBuilder().warmupRatio(v);
      return self();
    }

    /** Cosine decay to a tenth of the peak after warm-up (else constant). */
    default B cosineSchedule(boolean v) {
      optimBuilder().cosineSchedule(v);
      return self();
    }

    /** AdamW betas, eps and weight decay. */
    default B optimizer(AdamW.Config v) {
      optimBuilder().optimizer(v);
      return self();
    }

    /** Global-norm clipping threshold (0 = off). */
    default B maxGradNorm(double v) {
      optimBuilder().maxGradNorm(v);
      return self();
    }

    /** Sequences per forward/backward. */
    default B microBatchSize(int v) {
      optimBuilder().microBatchSize(v);
      return self();
    }

    // A default method cannot name the implementing builder's type: B is that type by contract.
    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }
  }
}

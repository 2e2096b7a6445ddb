package io.github.dartrl.leas.attribution;

import io.github.dartrl.leas.variant.CeaModel;

/**
 * How the six variants' samples of one batch of questions draw their random numbers.
 *
 * <p>The identical-models null ({@link IdenticalModelsNull}) assumes that each variant's N samples
 * are independent of every other variant's. With common random numbers, variants that barely differ
 * (a few GRPO steps from Base) draw nearly the same tokens, so their counts are nearly equal and
 * λ23 is exactly 0 far more often than under independent draws: measured on the conflict world on
 * 2026-12-07, λ23 = 0 on 39 of 63 kept questions where the null expects 18%, and the fraction λ23
 * &lt; 0 fell far <em>below</em> the null (docs/leas.md). The null is only a valid reference for
 * {@link #INDEPENDENT} streams.
 */
public enum SamplingStreams {
  /** Each variant its own stream (the batch seed salted by the variant): what the null assumes. */
  INDEPENDENT,
  /**
   * Every variant the batch's stream (common random numbers): the variants' differences are less
   * noisy, but the counts are coupled and the identical-models null does not apply to them.
   */
  COMMON;

  /** Odd 64-bit constant (the golden-ratio increment) that separates the variants' seeds. */
  private static final long SALT = 0x9E3779B97F4A7C15L;

  /** The seed variant {@code m} samples the batch with, from the batch's seed. */
  public long seed(long batchSeed, CeaModel m) {
    return this == COMMON ? batchSeed : batchSeed + SALT * (m.ordinal() + 1L);
  }
}

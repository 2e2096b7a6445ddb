package io.github.dartrl.core.optim;

import java.util.List;

/**
 * The end of every training update, SFT's and GRPO's alike: with the gradients accumulated, skip
 * the update if the loss or any gradient is not finite (weights and optimizer moments untouched),
 * otherwise clip to the global norm and take an AdamW step; the gradients are zeroed either way.
 */
public final class OptimizerStep {
  private OptimizerStep() {}

  /**
   * What happened to one update.
   *
   * @param applied whether AdamW stepped
   * @param gradNorm the global gradient norm before clipping (NaN when the loss was not finite)
   * @param nonFinite names of the gradient buffers holding NaN or infinity (empty when applied)
   */
  public record Outcome(boolean applied, double gradNorm, List<String> nonFinite) {}

  /**
   * Applies (or skips) one update from {@code gradients} at learning rate {@code lr}.
   *
   * @param lossFinite whether every micro-batch's loss was finite
   * @param maxGradNorm the clipping threshold (0 = off)
   */
  public static Outcome apply(
      Gradients gradients, AdamW optimizer, boolean lossFinite, double maxGradNorm, double lr) {
    try {
      if (!lossFinite) {
        return new Outcome(false, Double.NaN, gradients.nonFinite());
      }
      double norm = gradients.clipGlobalNorm(maxGradNorm);
      if (!Double.isFinite(norm)) {
        return new Outcome(false, norm, gradients.nonFinite());
      }
      optimizer.step(gradients, lr);
      return new Outcome(true, norm, List.of());
    } finally {
      gradients.zero();
    }
  }
}

package io.github.dartrl.grpo.loss;

import ai.djl.ndarray.NDArray;
import io.github.dartrl.core.model.Scalars;

/**
 * Per-token estimators of KL(π_θ || π_ref) from log-probs of the sampled tokens (Schulman; verl
 * {@code kl_penalty}), with δ = log π_θ − log π_ref.
 */
public enum KlEstimator {
  /** δ: unbiased, high variance. */
  K1,
  /** ½ δ²: its gradient is the true KL gradient. */
  K2,
  /**
   * e^x − x − 1 with x = clamp(−δ, −20, 20), clamped to [−10, 10] (verl {@code low_var_kl}); ≥ 0.
   */
  K3;

  /** Per-token values, same shape as the inputs. */
  public NDArray apply(NDArray logProbs, NDArray refLogProbs) {
    NDArray delta = logProbs.sub(refLogProbs);
    return switch (this) {
      case K1 -> delta;
      case K2 -> Scalars.mul(delta.square(), 0.5);
      case K3 -> {
        NDArray x = delta.neg().clip(-20f, 20f);
        yield Scalars.sub(x.exp().sub(x), 1).clip(-10f, 10f);
      }
    };
  }
}

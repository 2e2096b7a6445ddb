package io.github.dartrl.core.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.optim.Gradients;
import java.util.function.IntFunction;

/**
 * STRICT isolation: one backward pass per adapter, each from the loss on the tokens that adapter
 * serves, keeping only that adapter's slice of the gradient. No gradient of one role's loss reaches
 * another role's adapter, not even through attention. Costs one forward+backward per adapter.
 */
public final class IsolatedBackward {
  private IsolatedBackward() {}

  /**
   * Accumulates into {@code grads} the isolated gradient of every adapter of {@code policy}.
   *
   * @param lossForAdapter builds (with a fresh forward) the loss restricted to the positions served
   *     by the given adapter, using the same normalisation as the full loss so that the per-adapter
   *     losses sum to it
   * @return the sum of the per-adapter losses
   */
  public static float run(Policy policy, Gradients grads, IntFunction<NDArray> lossForAdapter) {
    if (policy.adapters() == null) {
      throw new IllegalArgumentException(policy.method() + " has no adapters to isolate");
    }
    float total = 0;
    int n = policy.adapters().configs().size();
    try (NDManager masks = policy.model().newScope()) {
      for (int k = 0; k < n; k++) {
        final int adapter = k;
        total +=
            grads.backward(
                () -> lossForAdapter.apply(adapter),
                policy.adapters().gradientMasks(adapter, masks));
      }
    }
    return total;
  }
}

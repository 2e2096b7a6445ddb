package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The KL reference of a policy that trains its backbone (FULL): a frozen copy of the weights as
 * they were when training started. Adapter methods need none: their reference is the same model
 * with the adapters off.
 */
final class ReferenceCopy {
  private ReferenceCopy() {}

  /** Copies {@code model}'s parameters, without gradients, into a sub-manager of {@code owner}. */
  static DecoderModel of(DecoderModel model, NDManager owner) {
    NDManager m = owner.newSubManager();
    Map<String, NDArray> copy = new LinkedHashMap<>();
    try (GradMode off = GradMode.disabled()) {
      model
          .parameters()
          .forEach(
              (k, v) -> {
                NDArray c = v.duplicate();
                c.attach(m);
                c.setName(k);
                copy.put(k, c);
              });
    }
    return new DecoderModel(model.config(), m, copy);
  }
}

package io.github.dartrl.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Folds one adapter into the backbone weights: {@code W' = W + scale * B A}. The result, saved as
 * an HF model, behaves like the backbone with that adapter active at every position.
 */
public final class AdapterMerger {
  private AdapterMerger() {}

  /**
   * The backbone tensors (HF names) with adapter {@code adapter} merged into every projection it
   * targets; new arrays are allocated in {@code into}, untouched tensors are shared.
   */
  public static Map<String, NDArray> merged(LoraAdapters adapters, int adapter, NDManager into) {
    Map<String, NDArray> out = new LinkedHashMap<>(adapters.model().parameters());
    double scale = adapters.configs().get(adapter).scale();
    try (GradMode off = GradMode.disabled();
        NDManager tmp = into.newSubManager()) {
      Map<String, NDArray[]> weights = adapters.weightsOf(adapter, tmp);
      for (Map.Entry<String, NDArray[]> e : weights.entrySet()) {
        String name = e.getKey() + ".weight";
        NDArray a = e.getValue()[0]; // [r, in]
        NDArray b = e.getValue()[1]; // [out, r]
        NDArray w = out.get(name);
        NDArray merged = Scalars.mul(b.matMul(a), (float) scale).add(w); // [out, in]
        merged.attach(into);
        merged.setName(name);
        out.put(name, merged);
      }
    }
    return out;
  }
}

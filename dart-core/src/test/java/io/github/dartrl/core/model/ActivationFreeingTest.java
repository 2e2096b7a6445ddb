package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * A forward frees each layer's intermediate arrays when the layer is done, instead of keeping them
 * in the step's scope until it closes: without gradients (pi_old, the KL reference, prefill) that
 * kept every layer's activations alive at once. The arrays left in the scope after a forward do not
 * depend on the number of layers, with or without a KV cache.
 */
class ActivationFreeingTest {
  private static final long[] SEQ = {5, 17, 3, 44, 9, 12, 8, 1, 33, 2};

  @Test
  void arraysLeftInTheScopeDoNotGrowWithLayers() {
    try (NDManager root = NDManager.newBaseManager("PyTorch")) {
      for (boolean cached : new boolean[] {false, true}) {
        assertThat(left(root, 6, cached)).as("cache %s", cached).isEqualTo(left(root, 2, cached));
      }
    }
  }

  private static int left(NDManager root, int layers, boolean cached) {
    ModelConfig c = ModelConfig.qwen2(50, 32, layers, 4, 2, 64, 128);
    try (DecoderModel m = DecoderModel.randomInit(c, 1, root);
        GradMode off = GradMode.disabled();
        NDManager s = m.newScope();
        KvCache cache = cached ? m.newCache(1, SEQ.length) : null) {
      m.hidden(s, TokenBatch.of(SEQ), cache, null);
      return s.getManagedArrays().size();
    }
  }
}

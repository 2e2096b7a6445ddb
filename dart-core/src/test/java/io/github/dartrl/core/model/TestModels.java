package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Small deterministic models for tests. */
public final class TestModels {
  private TestModels() {}

  /**
   * A random tiny Qwen2 model whose weights are scaled up (std 0.2 instead of 0.02) so that logits
   * vary strongly between positions and any numerical mismatch shows.
   */
  public static DecoderModel sharp(NDManager root, int vocab, long seed) {
    ModelConfig c = ModelConfig.qwen2(vocab, 32, 2, 4, 2, 64, 128);
    DecoderModel model = DecoderModel.randomInit(c, seed, root);
    try (GradMode off = GradMode.disabled()) {
      for (NDArray a : model.parameters().values()) {
        if (!a.getName().endsWith("norm.weight")) {
          a.muli(10f);
        }
      }
    }
    return model;
  }
}

package io.github.dartrl.leas.variant;

import io.github.dartrl.core.model.DecoderModel;
import java.util.Objects;

/**
 * One set of weights that can generate: a backbone and, optionally, one adapter of the LoRA stack
 * attached to it (applied at every position).
 *
 * @param name for logs and errors, e.g. "Tool"
 * @param model the backbone (shared by generators that differ only in the adapter)
 * @param adapter index into the model's attached adapter stack, or -1 for the bare backbone
 */
public record Generator(String name, DecoderModel model, int adapter) {
  public Generator {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(model, "model");
    if (adapter < -1) {
      throw new IllegalArgumentException("adapter index must be >= -1, got " + adapter);
    }
  }

  /** True if both compute with the same weights (same backbone object and adapter). */
  public boolean sameWeights(Generator other) {
    return model == other.model && adapter == other.adapter;
  }
}

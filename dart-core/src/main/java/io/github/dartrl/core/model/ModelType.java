package io.github.dartrl.core.model;

import java.util.Locale;

/**
 * Decoder families whose HF {@code config.json} this library reads. Both share one architecture.
 */
public enum ModelType {
  /** Qwen2 / Qwen2.5: bias on q, k, v projections; no bias elsewhere. */
  QWEN2("qwen2"),
  /** Llama 2/3: optional {@code attention_bias} on q, k, v, o and {@code mlp_bias}. */
  LLAMA("llama");

  private final String hfName;

  ModelType(String hfName) {
    this.hfName = hfName;
  }

  /** The {@code model_type} string in HF config files. */
  public String hfName() {
    return hfName;
  }

  /** Parses an HF {@code model_type}, or returns null for an unknown one. */
  static ModelType fromHf(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    for (ModelType t : values()) {
      if (t.hfName.equals(lower)) {
        return t;
      }
    }
    return null;
  }
}

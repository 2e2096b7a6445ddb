package io.github.dartrl.examples.interference;

/** Which checkpoint and parameter set the gradient-angle probe measures. */
public enum ProbeTarget {
  /**
   * The warm-started Base with a fresh single LoRA adapter (rank 16, B = 0): the parameters the
   * three variants are trained in, at the start of RL. With B = 0 only the B matrices receive
   * gradient.
   */
  BASE_LORA("base-lora"),
  /** The warm-started Base, all backbone weights trainable (full-parameter gradients). */
  BASE_FULL("base-full"),
  /** Unified's trained adapter (after GRPO on all tokens). */
  UNIFIED_LORA("unified-lora");

  private final String label;

  ProbeTarget(String label) {
    this.label = label;
  }

  /** The name used on the command line and as the report directory, e.g. {@code base-lora}. */
  public String label() {
    return label;
  }

  /** The target named {@code label} (case-insensitive; the enum name also works). */
  public static ProbeTarget of(String label) {
    for (ProbeTarget t : values()) {
      if (t.label.equalsIgnoreCase(label.strip()) || t.name().equalsIgnoreCase(label.strip())) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown probe target \"" + label + "\"; expected base-lora, base-full or unified-lora");
  }
}

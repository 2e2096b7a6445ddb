package io.github.dartrl.leas.variant;

/**
 * The six model variants of CEA/LEAS (paper v2 §4.2), in the row order of the design matrix, each
 * with its capability vector {@code x = [x1, x2, x3, x12, x13, x23]} (x1 base, x2 tool use, x3
 * reasoning; x_ij = 1 iff capabilities i and j were optimised jointly in the same parameters).
 */
public enum CeaModel {
  /** The starting model, no agentic RL. */
  BASE("Base", 1, 0, 0, 0, 0, 0),
  /** RL with only reasoning-token gradients (gradient mask on REASONING tokens). */
  REAS("Reas", 1, 0, 1, 0, 1, 0),
  /** RL with only tool-token gradients. */
  TOOL("Tool", 1, 1, 0, 1, 0, 0),
  /** Standard RL on all sampled tokens (Search-R1 GRPO). */
  UNIFIED("Unified", 1, 1, 1, 1, 1, 1),
  /** Hybrid: Base generates the reasoning tokens, Tool the tool-call tokens. */
  H_TOOL("H_Tool", 1, 1, 0, 0, 0, 0),
  /** Hybrid: Reas generates the reasoning tokens, Base the tool-call tokens. */
  H_REAS("H_Reas", 1, 0, 1, 0, 0, 0);

  private final String label;
  private final double[] x;

  CeaModel(String label, double... x) {
    this.label = label;
    this.x = x;
  }

  /** The name used in reports and files, e.g. {@code H_Tool}. */
  public String label() {
    return label;
  }

  /** This model's row of the design matrix (a copy). */
  public double[] capabilities() {
    return x.clone();
  }

  /** The variant whose label is {@code label} (case-insensitive; the enum name also works). */
  public static CeaModel ofLabel(String label) {
    for (CeaModel m : values()) {
      if (m.label.equalsIgnoreCase(label) || m.name().equalsIgnoreCase(label)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown CEA model \""
            + label
            + "\"; expected one of Base, Reas, Tool, Unified, H_Tool, H_Reas");
  }
}

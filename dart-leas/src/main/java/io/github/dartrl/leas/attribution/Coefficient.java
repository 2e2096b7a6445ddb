package io.github.dartrl.leas.attribution;

/**
 * The six coefficients of the per-question CEA model {@code z = Xλ}, in column order: main effects
 * λ1 (base), λ2 (tool use), λ3 (reasoning) and the pairwise interactions λ12 (base×tool), λ13
 * (base×reasoning) and λ23 (tool×reasoning, the interference of interest: negative = interference,
 * positive = synergy).
 */
public enum Coefficient {
  L1("lambda1"),
  L2("lambda2"),
  L3("lambda3"),
  L12("lambda12"),
  L13("lambda13"),
  L23("lambda23");

  private final String label;

  Coefficient(String label) {
    this.label = label;
  }

  /** The name used in reports, e.g. {@code lambda23}. */
  public String label() {
    return label;
  }
}

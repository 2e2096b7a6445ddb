package io.github.dartrl.leas.probe;

/** Which angle of a batch split ({@link SplitAngles}). */
public enum BatchKind {
  /** ∠(g_r^A, g_t^A) and ∠(g_r^B, g_t^B), averaged per split. */
  INTER_ROLE("inter_role"),
  /** The mean of the two same-role angles of a split. */
  SAME_ROLE("same_role"),
  /** ∠(g_r^A, g_r^B). */
  SAME_REASONING("same_reasoning"),
  /** ∠(g_t^A, g_t^B). */
  SAME_TOOL("same_tool");

  private final String label;

  BatchKind(String label) {
    this.label = label;
  }

  /** The name used in reports. */
  public String label() {
    return label;
  }
}

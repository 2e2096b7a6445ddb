package io.github.dartrl.leas.probe;

/** Which two gradients an angle is between. */
public enum PairKind {
  /** Reasoning-token vs tool-token gradient of the same trajectory. */
  INTER_ROLE("inter_role"),
  /** Reasoning-token gradients of two different trajectories of the same query. */
  SAME_REASONING("same_reasoning"),
  /** Tool-token gradients of two different trajectories of the same query. */
  SAME_TOOL("same_tool");

  private final String label;

  PairKind(String label) {
    this.label = label;
  }

  /** The name used in reports. */
  public String label() {
    return label;
  }
}

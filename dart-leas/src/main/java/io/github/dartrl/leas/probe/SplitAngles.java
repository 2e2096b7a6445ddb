package io.github.dartrl.leas.probe;

/**
 * The four angles of one random half split of the groups into A and B (degrees; NaN where a half's
 * gradient of that role is zero, e.g. no trajectory in it searched).
 *
 * @param split index of the split
 * @param halfA query indices of the groups in A
 * @param halfB query indices of the groups in B
 * @param sameReasoning ∠(g_r^A, g_r^B)
 * @param sameTool ∠(g_t^A, g_t^B)
 * @param interRoleA ∠(g_r^A, g_t^A)
 * @param interRoleB ∠(g_r^B, g_t^B)
 * @param layers per parameter group, the same four angles: {@code layers[g] = {sameReasoning,
 *     sameTool, interRoleA, interRoleB}}
 */
public record SplitAngles(
    int split,
    int[] halfA,
    int[] halfB,
    double sameReasoning,
    double sameTool,
    double interRoleA,
    double interRoleB,
    double[][] layers) {

  /** The inter-role angle of the split: the mean of A's and B's (or the one that exists). */
  public double interRole() {
    return meanOfDefined(interRoleA, interRoleB);
  }

  /** The same-role angle of the split: the mean of the reasoning and tool angles. */
  public double sameRole() {
    return meanOfDefined(sameReasoning, sameTool);
  }

  /** The value of {@code kind} in this split. */
  public double value(BatchKind kind) {
    return switch (kind) {
      case INTER_ROLE -> interRole();
      case SAME_ROLE -> sameRole();
      case SAME_REASONING -> sameReasoning;
      case SAME_TOOL -> sameTool;
    };
  }

  /** The value of {@code kind} in parameter group {@code g}. */
  public double layerValue(BatchKind kind, int g) {
    double[] l = layers[g];
    return switch (kind) {
      case INTER_ROLE -> meanOfDefined(l[2], l[3]);
      case SAME_ROLE -> meanOfDefined(l[0], l[1]);
      case SAME_REASONING -> l[0];
      case SAME_TOOL -> l[1];
    };
  }

  static double meanOfDefined(double a, double b) {
    if (Double.isNaN(a)) {
      return b;
    }
    if (Double.isNaN(b)) {
      return a;
    }
    return (a + b) / 2;
  }
}

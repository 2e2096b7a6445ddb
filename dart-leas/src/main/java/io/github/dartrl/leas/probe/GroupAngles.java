package io.github.dartrl.leas.probe;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-trajectory angles of one group: each trajectory's reasoning gradient against its own tool
 * gradient (inter-role), and every pair of trajectories' same-role gradients (same-role reasoning,
 * same-role tool). A null gradient (the role had no tokens, or a zero gradient) takes part in no
 * pair.
 */
final class GroupAngles {
  private GroupAngles() {}

  /**
   * All pairs of one group, inter-role first, then same-role by trajectory pair.
   *
   * @param query the group's query index
   * @param reas per trajectory its reasoning gradient, or null
   * @param tool per trajectory its tool gradient, or null (same size as {@code reas})
   */
  static List<AnglePair> pairs(int query, List<FlatGradient> reas, List<FlatGradient> tool) {
    List<AnglePair> out = new ArrayList<>();
    int n = reas.size();
    for (int i = 0; i < n; i++) {
      if (reas.get(i) != null && tool.get(i) != null) {
        out.add(pair(query, PairKind.INTER_ROLE, i, i, reas.get(i), tool.get(i)));
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (reas.get(i) != null && reas.get(j) != null) {
          out.add(pair(query, PairKind.SAME_REASONING, i, j, reas.get(i), reas.get(j)));
        }
        if (tool.get(i) != null && tool.get(j) != null) {
          out.add(pair(query, PairKind.SAME_TOOL, i, j, tool.get(i), tool.get(j)));
        }
      }
    }
    return out;
  }

  private static AnglePair pair(
      int query, PairKind kind, int i, int j, FlatGradient a, FlatGradient b) {
    double[] cos = Angles.cosines(a, b);
    double[] layers = new double[cos.length - 1];
    for (int k = 0; k < layers.length; k++) {
      layers[k] = Angles.degrees(cos[k + 1]);
    }
    return new AnglePair(query, kind, i, j, cos[0], Angles.degrees(cos[0]), layers);
  }
}

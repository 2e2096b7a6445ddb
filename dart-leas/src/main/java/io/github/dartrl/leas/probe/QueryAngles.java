package io.github.dartrl.leas.probe;

import java.util.List;

/**
 * Per-query means (NaN when the query has no pair of that kind).
 *
 * @param query index in the probe's input
 * @param id question id
 * @param rewardMean mean reward of its G rollouts
 * @param trajectories rollouts analysed (G, for a mixed-reward group)
 * @param interRole mean inter-role angle
 * @param sameReasoning mean reasoning-vs-reasoning angle
 * @param sameTool mean tool-vs-tool angle
 * @param sameRole mean over all same-role pairs (both roles pooled)
 */
public record QueryAngles(
    int query,
    String id,
    double rewardMean,
    int trajectories,
    double interRole,
    double sameReasoning,
    double sameTool,
    double sameRole) {

  /** The per-query means of {@code pairs}, the angles measured on one query. */
  static QueryAngles of(
      int query, String id, double rewardMean, int trajectories, List<AnglePair> pairs) {
    return new QueryAngles(
        query,
        id,
        rewardMean,
        trajectories,
        meanOf(pairs, PairKind.INTER_ROLE),
        meanOf(pairs, PairKind.SAME_REASONING),
        meanOf(pairs, PairKind.SAME_TOOL),
        meanOfSameRole(pairs));
  }

  private static double meanOf(List<AnglePair> pairs, PairKind kind) {
    double s = 0;
    int n = 0;
    for (AnglePair p : pairs) {
      if (p.kind() == kind) {
        s += p.degrees();
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  private static double meanOfSameRole(List<AnglePair> pairs) {
    double s = 0;
    int n = 0;
    for (AnglePair p : pairs) {
      if (p.kind() != PairKind.INTER_ROLE) {
        s += p.degrees();
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }
}

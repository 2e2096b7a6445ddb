package io.github.dartrl.leas.probe;

import io.github.dartrl.leas.stats.PairedComparison;
import io.github.dartrl.leas.stats.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch-level probe for K &ge; 2 roles: for every pair of roles (i, j) the inter-role angle
 * {@code ∠(g_i^H, g_j^H)} (mean over the halves H = A, B), and for every role its same-role angle
 * {@code ∠(g_i^A, g_i^B)}, over the random half splits of {@link HalfSplits} (the same halves as
 * {@link BatchSplitAngles} for the same seed). Per pair, the paired comparison over splits of its
 * inter-role angle with the mean of its two roles' same-role angles says whether that pair's
 * gradients are further apart than each role's own halves; as in {@link BatchSplitAngles}, its
 * p-value is optimistic because the splits reuse the same groups.
 *
 * <p>With two roles (reasoning, tool) the pair's angle and the same-role angles are exactly those
 * of {@link BatchSplitAngles} over the flattened parameters.
 */
public final class RolePairAngles {
  private RolePairAngles() {}

  /**
   * Measures every pair of {@code roles} on {@code groups}.
   *
   * @throws IllegalArgumentException if the groups' role counts differ from {@code roles}
   * @throws IllegalStateException with fewer than two groups, or if some role has no gradient in
   *     any group (its pairs could not be measured)
   */
  public static RolePairResult analyze(
      List<GroupRoleSums> groups, List<String> roles, String method, BatchSplitConfig config) {
    int m = groups.size();
    int k = roles.size();
    if (m < 2) {
      throw new IllegalStateException(
          "the role-pair probe needs at least 2 mixed-reward groups to split into two halves, got "
              + m);
    }
    List<FlatGradient> vectors = new ArrayList<>(k * m);
    int[] present = new int[k];
    for (GroupRoleSums g : groups) {
      if (g.byRole().size() != k) {
        throw new IllegalArgumentException(
            "group " + g.id() + " has " + g.byRole().size() + " roles, expected " + roles);
      }
      for (int r = 0; r < k; r++) {
        vectors.add(g.byRole().get(r)); // vector k·group + r
        present[r] += g.trajectories()[r] > 0 ? 1 : 0;
      }
    }
    for (int r = 0; r < k; r++) {
      if (present[r] == 0) {
        throw new IllegalStateException(
            "no group has a "
                + roles.get(r)
                + " gradient (of "
                + m
                + " mixed-reward groups): its pairs cannot be measured");
      }
    }
    GradientGram gram = GradientGram.of(vectors);
    int total = gram.groups(); // index of the flattened total in GradientGram.dot
    int pairs = k * (k - 1) / 2;
    List<double[]> values = new ArrayList<>();
    for (int[][] split : HalfSplits.draw(m, config.splits(), config.seed())) {
      double[] row = new double[k + pairs];
      double[][] dotA = new double[k][];
      double[][] dotB = new double[k][];
      int[][] a = new int[k][];
      int[][] b = new int[k][];
      for (int r = 0; r < k; r++) {
        a[r] = vectors(split[0], r, k);
        b[r] = vectors(split[1], r, k);
        dotA[r] = gram.dot(a[r], a[r]);
        dotB[r] = gram.dot(b[r], b[r]);
        row[r] = angle(gram.dot(a[r], b[r])[total], dotA[r][total], dotB[r][total]);
      }
      int p = k;
      for (int i = 0; i < k; i++) {
        for (int j = i + 1; j < k; j++) {
          double inA = angle(gram.dot(a[i], a[j])[total], dotA[i][total], dotA[j][total]);
          double inB = angle(gram.dot(b[i], b[j])[total], dotB[i][total], dotB[j][total]);
          row[p++] = SplitAngles.meanOfDefined(inA, inB);
        }
      }
      values.add(row);
    }
    Map<String, Integer> withRole = new LinkedHashMap<>();
    for (int r = 0; r < k; r++) {
      withRole.put(roles.get(r), present[r]);
    }
    Map<String, Summary> same = new LinkedHashMap<>();
    for (int r = 0; r < k; r++) {
      same.put(roles.get(r), Summary.of(defined(column(values, r))));
    }
    List<RolePairResult.Pair> out = new ArrayList<>();
    int p = k;
    for (int i = 0; i < k; i++) {
      for (int j = i + 1; j < k; j++) {
        double[] inter = column(values, p++);
        double[] sameMean = new double[values.size()];
        for (int s = 0; s < sameMean.length; s++) {
          sameMean[s] = SplitAngles.meanOfDefined(values.get(s)[i], values.get(s)[j]);
        }
        out.add(
            new RolePairResult.Pair(
                roles.get(i),
                roles.get(j),
                Summary.of(defined(inter)),
                PairedComparison.of(inter, sameMean)));
      }
    }
    long size = groups.get(0).byRole().get(0).layout().totalSize();
    return new RolePairResult(config, method, size, roles, m, withRole, m / 2, same, out, values);
  }

  /** Indices of role {@code r} of groups {@code g} in the Gram matrix ({@code k} roles each). */
  private static int[] vectors(int[] g, int r, int k) {
    int[] out = new int[g.length];
    for (int i = 0; i < g.length; i++) {
      out[i] = k * g[i] + r;
    }
    return out;
  }

  private static double angle(double dot, double normA, double normB) {
    return Angles.degrees(Angles.cosine(dot, normA, normB));
  }

  private static double[] column(List<double[]> rows, int c) {
    return rows.stream().mapToDouble(r -> r[c]).toArray();
  }

  private static double[] defined(double[] v) {
    return Arrays.stream(v).filter(d -> !Double.isNaN(d)).toArray();
  }
}

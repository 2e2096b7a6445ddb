package io.github.dartrl.leas.probe;

import io.github.dartrl.leas.stats.Histogram;
import io.github.dartrl.leas.stats.PairedComparison;
import io.github.dartrl.leas.stats.Summary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The batch-level angle probe: angles between the role-restricted gradients of two disjoint halves
 * of a batch of groups, over many random splits.
 *
 * <p>Single-trajectory policy gradients of a small model are nearly orthogonal whatever their role,
 * so the per-trajectory probe cannot show "same-role angles are small". Summing over many groups
 * averages that noise out. Per split, the M groups (queries with mixed rewards; never the
 * trajectories of one group) are shuffled with a seeded generator and cut into halves A and B of
 * ⌊M/2⌋ groups each (one group sits out when M is odd; {@link HalfSplits}). With {@code g_b^H =
 * Σ_{groups in H} Σ_i g_b(τ_i)}, the gradient of the half's role-b loss {@code Σ_i −A_i ·
 * mean_{t∈T_b} log π} (the per-trajectory probe's loss, summed):
 *
 * <pre>
 *   same-role:  ∠(g_r^A, g_r^B),  ∠(g_t^A, g_t^B)
 *   inter-role: ∠(g_r^A, g_t^A),  ∠(g_r^B, g_t^B)
 * </pre>
 *
 * over the flattened trainable parameters and per parameter group. The per-group sums are computed
 * once; then every split is a sum of entries of their Gram matrices ({@link GradientGram}).
 *
 * <p>Per split the inter-role angle is the mean of the two halves', the same-role angle the mean of
 * the two roles'; the paired comparison over splits reports the share of splits with inter-role
 * &gt; same-role and a Wilcoxon signed-rank test. The splits share their groups, so they are not
 * independent samples and that test's p-value is optimistic; the share and the distributions are
 * the honest summary.
 */
public final class BatchSplitAngles {
  /** Key of {@link BatchProbeResult#tests()}: inter-role vs the mean of both same-role angles. */
  public static final String VS_SAME_ROLE = "inter_role_vs_same_role";

  /** Key of {@link BatchProbeResult#tests()}: inter-role vs reasoning A vs reasoning B. */
  public static final String VS_SAME_REASONING = "inter_role_vs_same_reasoning";

  /** Key of {@link BatchProbeResult#tests()}: inter-role vs tool A vs tool B. */
  public static final String VS_SAME_TOOL = "inter_role_vs_same_tool";

  private BatchSplitAngles() {}

  /**
   * Splits {@code groups} {@code config.splits()} times and measures the four angles of each split.
   *
   * @param method the policy's method, for the report
   * @throws IllegalStateException with fewer than two groups, or if no group has a reasoning or no
   *     group a tool gradient (there would be no angle to measure)
   */
  public static BatchProbeResult analyze(
      List<GroupRoleGradients> groups, String method, BatchSplitConfig config) {
    int m = groups.size();
    if (m < 2) {
      throw new IllegalStateException(
          "the batch-level probe needs at least 2 mixed-reward groups to split into two halves, got "
              + m);
    }
    ParameterGroups layout = groups.get(0).reasoning().layout();
    int noTool = 0;
    int noReasoning = 0;
    List<FlatGradient> vectors = new ArrayList<>(2 * m);
    for (GroupRoleGradients g : groups) {
      if (g.reasoning().layout() != layout) {
        throw new IllegalArgumentException("groups of different parameter layouts");
      }
      noTool += g.toolTrajectories() == 0 ? 1 : 0;
      noReasoning += g.reasoningTrajectories() == 0 ? 1 : 0;
      vectors.add(g.reasoning()); // vector 2k: group k's reasoning gradient
      vectors.add(g.tool()); // vector 2k + 1: its tool gradient
    }
    if (noTool == m || noReasoning == m) {
      throw new IllegalStateException(
          "no group has a "
              + (noTool == m ? "tool" : "reasoning")
              + " gradient (of "
              + m
              + " mixed-reward groups): there is no inter-role angle to measure");
    }
    GradientGram gram = GradientGram.of(vectors);
    int half = m / 2;
    List<SplitAngles> splits = new ArrayList<>();
    List<int[][]> halves = HalfSplits.draw(m, config.splits(), config.seed());
    for (int s = 0; s < halves.size(); s++) {
      splits.add(split(s, halves.get(s)[0], halves.get(s)[1], gram, groups));
    }
    return summarize(config, method, layout, groups, noTool, noReasoning, half, splits);
  }

  private static SplitAngles split(
      int s, int[] a, int[] b, GradientGram gram, List<GroupRoleGradients> groups) {
    int[] ra = vectors(a, 0);
    int[] ta = vectors(a, 1);
    int[] rb = vectors(b, 0);
    int[] tb = vectors(b, 1);
    double[] raRa = gram.dot(ra, ra);
    double[] rbRb = gram.dot(rb, rb);
    double[] taTa = gram.dot(ta, ta);
    double[] tbTb = gram.dot(tb, tb);
    double[] sameR = angles(gram.dot(ra, rb), raRa, rbRb);
    double[] sameT = angles(gram.dot(ta, tb), taTa, tbTb);
    double[] interA = angles(gram.dot(ra, ta), raRa, taTa);
    double[] interB = angles(gram.dot(rb, tb), rbRb, tbTb);
    int layers = gram.groups();
    double[][] perLayer = new double[layers][];
    for (int g = 0; g < layers; g++) {
      perLayer[g] = new double[] {sameR[g], sameT[g], interA[g], interB[g]};
    }
    return new SplitAngles(
        s,
        queries(a, groups),
        queries(b, groups),
        sameR[layers],
        sameT[layers],
        interA[layers],
        interB[layers],
        perLayer);
  }

  /** Indices of role {@code role} (0 reasoning, 1 tool) of groups {@code g} in the Gram matrix. */
  private static int[] vectors(int[] g, int role) {
    int[] out = new int[g.length];
    for (int i = 0; i < g.length; i++) {
      out[i] = 2 * g[i] + role;
    }
    return out;
  }

  private static int[] queries(int[] g, List<GroupRoleGradients> groups) {
    int[] out = new int[g.length];
    for (int i = 0; i < g.length; i++) {
      out[i] = groups.get(g[i]).query();
    }
    return out;
  }

  private static double[] angles(double[] dot, double[] normA, double[] normB) {
    double[] out = new double[dot.length];
    for (int i = 0; i < dot.length; i++) {
      out[i] = Angles.degrees(Angles.cosine(dot[i], normA[i], normB[i]));
    }
    return out;
  }

  private static BatchProbeResult summarize(
      BatchSplitConfig config,
      String method,
      ParameterGroups layout,
      List<GroupRoleGradients> groups,
      int noTool,
      int noReasoning,
      int half,
      List<SplitAngles> splits) {
    Map<BatchKind, Summary> summaries = new EnumMap<>(BatchKind.class);
    Map<BatchKind, Histogram> histograms = new EnumMap<>(BatchKind.class);
    Map<BatchKind, double[]> values = new EnumMap<>(BatchKind.class);
    for (BatchKind k : BatchKind.values()) {
      double[] v = splits.stream().mapToDouble(x -> x.value(k)).toArray();
      values.put(k, v);
      double[] defined = Arrays.stream(v).filter(d -> !Double.isNaN(d)).toArray();
      summaries.put(k, Summary.of(defined));
      histograms.put(k, Histogram.of(defined, 0, 180, config.histogramBins()));
    }
    if (summaries.get(BatchKind.INTER_ROLE).n() == 0) {
      throw new IllegalStateException(
          "no split had a half with both a reasoning and a tool gradient: no inter-role angle");
    }
    Map<String, PairedComparison> tests = new LinkedHashMap<>();
    double[] inter = values.get(BatchKind.INTER_ROLE);
    tests.put(VS_SAME_ROLE, PairedComparison.of(inter, values.get(BatchKind.SAME_ROLE)));
    tests.put(VS_SAME_REASONING, PairedComparison.of(inter, values.get(BatchKind.SAME_REASONING)));
    tests.put(VS_SAME_TOOL, PairedComparison.of(inter, values.get(BatchKind.SAME_TOOL)));
    List<BatchLayerAngles> layers = new ArrayList<>();
    for (int g = 0; g < layout.groups(); g++) {
      layers.add(
          new BatchLayerAngles(
              layout.names().get(g),
              layerSummary(splits, BatchKind.INTER_ROLE, g),
              layerSummary(splits, BatchKind.SAME_REASONING, g),
              layerSummary(splits, BatchKind.SAME_TOOL, g)));
    }
    return new BatchProbeResult(
        config,
        method,
        layout.totalSize(),
        layout.names(),
        groups.size(),
        half,
        noTool,
        noReasoning,
        distinct(splits),
        splits,
        summaries,
        histograms,
        tests,
        layers);
  }

  /** Distinct unordered partitions {A, B} among the splits. */
  private static int distinct(List<SplitAngles> splits) {
    Set<String> seen = new HashSet<>();
    for (SplitAngles s : splits) {
      String a = Arrays.toString(s.halfA());
      String b = Arrays.toString(s.halfB());
      seen.add(a.compareTo(b) < 0 ? a + b : b + a);
    }
    return seen.size();
  }

  private static Summary layerSummary(List<SplitAngles> splits, BatchKind kind, int g) {
    return Summary.of(
        splits.stream()
            .mapToDouble(x -> x.layerValue(kind, g))
            .filter(d -> !Double.isNaN(d))
            .toArray());
  }
}

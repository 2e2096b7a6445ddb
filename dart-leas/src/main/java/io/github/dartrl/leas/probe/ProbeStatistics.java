package io.github.dartrl.leas.probe;

import io.github.dartrl.leas.stats.Histogram;
import io.github.dartrl.leas.stats.Summary;
import io.github.dartrl.leas.stats.WilcoxonSignedRank;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Turns the probe's raw angles into summaries, histograms, per-layer views and tests (public so
 * that saved angles can be re-summarised, and reports tested, without a model).
 */
public final class ProbeStatistics {
  /** Key of {@link ProbeResult#tests()}: inter-role vs both same-role kinds pooled. */
  public static final String VS_SAME_ROLE = "inter_role_vs_same_role";

  /** Key of {@link ProbeResult#tests()}: inter-role vs reasoning-vs-reasoning. */
  public static final String VS_SAME_REASONING = "inter_role_vs_same_reasoning";

  /** Key of {@link ProbeResult#tests()}: inter-role vs tool-vs-tool. */
  public static final String VS_SAME_TOOL = "inter_role_vs_same_tool";

  private ProbeStatistics() {}

  /**
   * Summarises measured angles.
   *
   * @param groups the parameter group names, in the order of {@link AnglePair#layerDegrees()}
   */
  public static ProbeResult summarize(
      ProbeConfig config,
      String method,
      List<String> groups,
      long trainableParameters,
      ProbeCounts counts,
      List<QueryAngles> queries,
      List<AnglePair> pairs) {
    Map<PairKind, Summary> summaries = new EnumMap<>(PairKind.class);
    Map<PairKind, Histogram> histograms = new EnumMap<>(PairKind.class);
    for (PairKind k : PairKind.values()) {
      double[] v = degrees(pairs, k);
      summaries.put(k, Summary.of(v));
      histograms.put(k, Histogram.of(v, 0, 180, config.histogramBins()));
    }
    double[] same =
        pairs.stream()
            .filter(p -> p.kind() != PairKind.INTER_ROLE)
            .mapToDouble(AnglePair::degrees)
            .toArray();
    Map<String, WilcoxonSignedRank.Result> tests = new LinkedHashMap<>();
    tests.put(VS_SAME_ROLE, paired(queries, QueryAngles::sameRole));
    tests.put(VS_SAME_REASONING, paired(queries, QueryAngles::sameReasoning));
    tests.put(VS_SAME_TOOL, paired(queries, QueryAngles::sameTool));
    List<LayerAngles> layers = new ArrayList<>();
    List<String> names = groups;
    for (int g = 0; g < names.size(); g++) {
      layers.add(
          new LayerAngles(
              names.get(g),
              Summary.of(layerDegrees(pairs, PairKind.INTER_ROLE, g)),
              Summary.of(layerDegrees(pairs, PairKind.SAME_REASONING, g)),
              Summary.of(layerDegrees(pairs, PairKind.SAME_TOOL, g))));
    }
    return new ProbeResult(
        config,
        method,
        trainableParameters,
        names,
        counts,
        queries,
        pairs,
        summaries,
        Summary.of(same),
        histograms,
        Histogram.of(same, 0, 180, config.histogramBins()),
        tests,
        layers);
  }

  /** Wilcoxon on the queries that have both an inter-role mean and the same-role mean. */
  private static WilcoxonSignedRank.Result paired(
      List<QueryAngles> queries, ToDoubleFunction<QueryAngles> sameRole) {
    List<double[]> both = new ArrayList<>();
    for (QueryAngles q : queries) {
      double y = sameRole.applyAsDouble(q);
      if (!Double.isNaN(q.interRole()) && !Double.isNaN(y)) {
        both.add(new double[] {q.interRole(), y});
      }
    }
    double[] x = new double[both.size()];
    double[] y = new double[both.size()];
    for (int i = 0; i < x.length; i++) {
      x[i] = both.get(i)[0];
      y[i] = both.get(i)[1];
    }
    return WilcoxonSignedRank.test(x, y);
  }

  private static double[] degrees(List<AnglePair> pairs, PairKind kind) {
    return pairs.stream().filter(p -> p.kind() == kind).mapToDouble(AnglePair::degrees).toArray();
  }

  private static double[] layerDegrees(List<AnglePair> pairs, PairKind kind, int group) {
    return pairs.stream()
        .filter(p -> p.kind() == kind)
        .mapToDouble(p -> p.layerDegrees()[group])
        .filter(d -> !Double.isNaN(d))
        .toArray();
  }
}

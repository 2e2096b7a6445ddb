package io.github.dartrl.leas.probe;

import io.github.dartrl.leas.stats.Histogram;
import io.github.dartrl.leas.stats.Summary;
import io.github.dartrl.leas.stats.WilcoxonSignedRank;
import java.util.List;
import java.util.Map;

/**
 * Everything the probe measured.
 *
 * @param config the settings used
 * @param method the policy's method (whose trainable parameters the gradients cover)
 * @param trainableParameters scalars in the flattened gradient
 * @param groups parameter group names (per-layer angles are in this order)
 * @param counts what was analysed and skipped
 * @param queries per analysed query: mean angles
 * @param pairs every angle measured
 * @param summaries per pair kind: distribution of the angles (pooled over queries)
 * @param sameRole the same-role angles of both roles pooled
 * @param histograms per pair kind, over [0°, 180°]
 * @param sameRoleHistogram pooled same-role angles
 * @param tests paired Wilcoxon signed-rank tests on per-query means: {@code
 *     inter_role_vs_same_role}, {@code inter_role_vs_same_reasoning}, {@code
 *     inter_role_vs_same_tool} (x = inter-role mean, y = same-role mean; z &gt; 0 means inter-role
 *     angles are larger)
 * @param layers per parameter group: angle distributions
 */
public record ProbeResult(
    ProbeConfig config,
    String method,
    long trainableParameters,
    List<String> groups,
    ProbeCounts counts,
    List<QueryAngles> queries,
    List<AnglePair> pairs,
    Map<PairKind, Summary> summaries,
    Summary sameRole,
    Map<PairKind, Histogram> histograms,
    Histogram sameRoleHistogram,
    Map<String, WilcoxonSignedRank.Result> tests,
    List<LayerAngles> layers) {

  public ProbeResult {
    groups = List.copyOf(groups);
    queries = List.copyOf(queries);
    pairs = List.copyOf(pairs);
    summaries = Map.copyOf(summaries);
    histograms = Map.copyOf(histograms);
    tests = Map.copyOf(tests);
    layers = List.copyOf(layers);
  }
}

package io.github.dartrl.leas.probe;

import io.github.dartrl.leas.stats.Histogram;
import io.github.dartrl.leas.stats.PairedComparison;
import io.github.dartrl.leas.stats.Summary;
import java.util.List;
import java.util.Map;

/**
 * What the batch-level angle probe measured ({@link BatchSplitAngles}).
 *
 * @param config splits, seed, histogram bins
 * @param method the policy's method (whose trainable parameters the gradients cover)
 * @param trainableParameters scalars in the flattened gradient
 * @param parameterGroups parameter group names (per-layer angles are in this order)
 * @param groups mixed-reward groups (queries) available for splitting
 * @param groupsPerHalf groups in each half ({@code groups / 2}; with an odd number of groups one
 *     random group sits out of each split)
 * @param groupsWithoutTool groups in which no trajectory had a usable tool gradient
 * @param groupsWithoutReasoning likewise for reasoning
 * @param distinctSplits different partitions among the splits (A/B swapped counts as the same):
 *     with few groups there are few ({@code C(M, M/2)/2}), and the splits repeat each other
 * @param splits every split's angles
 * @param summaries per kind: the distribution over splits (splits where the angle is undefined are
 *     left out; {@link Summary#n()} says how many remain)
 * @param histograms per kind, over [0°, 180°]
 * @param tests paired comparisons across splits, x = inter-role, y = {@code same_role}, {@code
 *     same_reasoning} or {@code same_tool} (keys {@code inter_role_vs_...}); the splits are not
 *     independent samples, see {@link PairedComparison}
 * @param layers per parameter group: angle distributions over splits
 */
public record BatchProbeResult(
    BatchSplitConfig config,
    String method,
    long trainableParameters,
    List<String> parameterGroups,
    int groups,
    int groupsPerHalf,
    int groupsWithoutTool,
    int groupsWithoutReasoning,
    int distinctSplits,
    List<SplitAngles> splits,
    Map<BatchKind, Summary> summaries,
    Map<BatchKind, Histogram> histograms,
    Map<String, PairedComparison> tests,
    List<BatchLayerAngles> layers) {

  public BatchProbeResult {
    parameterGroups = List.copyOf(parameterGroups);
    splits = List.copyOf(splits);
    summaries = Map.copyOf(summaries);
    histograms = Map.copyOf(histograms);
    tests = Map.copyOf(tests);
    layers = List.copyOf(layers);
  }
}

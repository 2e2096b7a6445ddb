package io.github.dartrl.leas.probe;

import io.github.dartrl.leas.stats.Summary;

/**
 * Batch-split angles restricted to one parameter group (a decoder layer), over the splits.
 *
 * @param group e.g. {@code layer.3}
 * @param interRole per split, the mean of the two halves' inter-role angles
 * @param sameReasoning ∠(g_r^A, g_r^B)
 * @param sameTool ∠(g_t^A, g_t^B)
 */
public record BatchLayerAngles(
    String group, Summary interRole, Summary sameReasoning, Summary sameTool) {}

package io.github.dartrl.leas.probe;

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
    double sameRole) {}

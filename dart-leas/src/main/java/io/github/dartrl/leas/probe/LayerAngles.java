package io.github.dartrl.leas.probe;

import io.github.dartrl.leas.stats.Summary;

/**
 * Angles restricted to one parameter group (a decoder layer).
 *
 * @param group e.g. {@code layer.3}
 * @param interRole inter-role angles in this group
 * @param sameReasoning reasoning-vs-reasoning angles
 * @param sameTool tool-vs-tool angles
 */
public record LayerAngles(
    String group, Summary interRole, Summary sameReasoning, Summary sameTool) {}

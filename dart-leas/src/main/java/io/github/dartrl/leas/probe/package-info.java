/**
 * The gradient-angle probe (paper v2 §4.4): per query, G rollouts, GRPO advantages, and per
 * trajectory two policy-gradient losses restricted to REASONING and to TOOL tokens, each
 * back-propagated on its own; the angle between the flattened gradients of the two roles of one
 * trajectory (inter-role) is compared with the angle between same-role gradients of different
 * trajectories of the query ({@link io.github.dartrl.leas.probe.GradientAngleProbe}). The
 * batch-level version sums the gradients per group and compares two random halves of the groups
 * over many splits ({@link io.github.dartrl.leas.probe.BatchSplitAngles}).
 */
package io.github.dartrl.leas.probe;

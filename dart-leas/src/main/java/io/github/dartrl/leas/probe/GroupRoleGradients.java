package io.github.dartrl.leas.probe;

import java.util.Objects;

/**
 * The role-restricted policy gradients of one group (one query's G rollouts): the sum over its
 * trajectories of the per-trajectory gradients of {@link GradientAngleProbe}, i.e. the gradient of
 * {@code Σ_i L_b(τ_i)} for role b. Trajectories without tokens of a role (or whose gradient was
 * zero or not finite) add nothing to that role's sum.
 *
 * @param query index of the query in the probe's input
 * @param id question id
 * @param reasoning Σ_i g_reasoning(τ_i) (all zeros if no trajectory had reasoning tokens)
 * @param tool Σ_i g_tool(τ_i) (all zeros if no trajectory searched)
 * @param reasoningTrajectories trajectories that contributed to {@code reasoning}
 * @param toolTrajectories trajectories that contributed to {@code tool}
 */
public record GroupRoleGradients(
    int query,
    String id,
    FlatGradient reasoning,
    FlatGradient tool,
    int reasoningTrajectories,
    int toolTrajectories) {

  public GroupRoleGradients {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(reasoning, "reasoning");
    Objects.requireNonNull(tool, "tool");
    if (reasoning.layout() != tool.layout()) {
      throw new IllegalArgumentException("reasoning and tool gradients of different layouts");
    }
  }
}

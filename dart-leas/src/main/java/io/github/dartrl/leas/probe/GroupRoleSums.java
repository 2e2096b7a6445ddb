package io.github.dartrl.leas.probe;

import java.util.List;
import java.util.Objects;

/**
 * The summed role-restricted gradients of one group for any number of roles (reasoning and each
 * tool of a multi-tool policy): {@code byRole.get(k)} is {@code Σ_i g_k(τ_i)} over the group's
 * trajectories, as {@link GroupRoleGradients} is for the two coarse roles.
 *
 * @param query index of the query in the probe's input
 * @param id question id
 * @param byRole one summed gradient per role (all zeros where no trajectory had the role)
 * @param trajectories per role, the trajectories that contributed
 */
public record GroupRoleSums(int query, String id, List<FlatGradient> byRole, int[] trajectories) {
  public GroupRoleSums {
    Objects.requireNonNull(id, "id");
    byRole = List.copyOf(byRole);
    trajectories = trajectories.clone();
    if (byRole.size() < 2 || trajectories.length != byRole.size()) {
      throw new IllegalArgumentException(
          "need >= 2 roles and one count per role, got "
              + byRole.size()
              + " gradients and "
              + trajectories.length
              + " counts");
    }
    for (FlatGradient g : byRole) {
      if (g.layout() != byRole.get(0).layout()) {
        throw new IllegalArgumentException("role gradients of different layouts");
      }
    }
  }
}

package io.github.dartrl.leas.probe;

/**
 * The per-trajectory probe and the batch-level probe, measured on the same rollouts.
 *
 * @param trajectories the per-trajectory angles
 * @param batch the batch-split angles, or null if they could not be measured
 * @param batchError why {@code batch} is null (e.g. fewer than two mixed-reward groups), else null
 * @param rolePairs with several tools, the batch-split angles of every pair of roles; else null
 * @param rolePairsError why {@code rolePairs} is null although several tools were probed, else null
 */
public record ProbeRun(
    ProbeResult trajectories,
    BatchProbeResult batch,
    String batchError,
    RolePairResult rolePairs,
    String rolePairsError) {

  /** A run of the two coarse roles only (one tool, or every tool's tokens together). */
  public ProbeRun(ProbeResult trajectories, BatchProbeResult batch, String batchError) {
    this(trajectories, batch, batchError, null, null);
  }

  /** Whether the batch-level angles exist. */
  public boolean hasBatch() {
    return batch != null;
  }

  /** Whether the role-pair angles exist. */
  public boolean hasRolePairs() {
    return rolePairs != null;
  }
}

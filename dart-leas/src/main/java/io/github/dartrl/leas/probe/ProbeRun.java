package io.github.dartrl.leas.probe;

/**
 * The per-trajectory probe and the batch-level probe, measured on the same rollouts.
 *
 * @param trajectories the per-trajectory angles
 * @param batch the batch-split angles, or null if they could not be measured
 * @param batchError why {@code batch} is null (e.g. fewer than two mixed-reward groups), else null
 */
public record ProbeRun(ProbeResult trajectories, BatchProbeResult batch, String batchError) {
  /** Whether the batch-level angles exist. */
  public boolean hasBatch() {
    return batch != null;
  }
}

package io.github.dartrl.grpo.train;

import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver's view of a distributed step inside {@link GrpoUpdate}: π_old/π_ref as the workers
 * computed them while rolling out, and each mini-batch's gradient summed over the workers under the
 * policy's current adapters.
 */
final class RemoteGradients {
  private final DistributedRollouts workers;
  private final Policy policy;
  private final DistributedRollouts.RolloutBatch batch;
  private final float[] advantages;

  RemoteGradients(
      DistributedRollouts workers,
      Policy policy,
      DistributedRollouts.RolloutBatch batch,
      float[] advantages) {
    this.workers = workers;
    this.policy = policy;
    this.batch = batch;
    this.advantages = advantages;
  }

  /** {@code {old, ref}} per trajectory and token, as GrpoUpdate computes them locally. */
  float[][][] oldAndReference() {
    int n = batch.trajectories().size();
    float[][] old = batch.oldLogProbs() == null ? new float[n][] : batch.oldLogProbs().clone();
    float[][] ref = batch.refLogProbs() == null ? new float[n][] : batch.refLogProbs().clone();
    return new float[][][] {old, ref};
  }

  /** The gradient of rows {@code mini} with the mini-batch's denominators {@code totals}. */
  GradientShare gradient(
      int[] mini, float[][] old, float[][] ref, double[] totals, boolean firstOfUpdate) {
    List<Trajectory> ts = new ArrayList<>();
    float[][] o = new float[mini.length][];
    float[][] r = new float[mini.length][];
    float[] a = new float[mini.length];
    for (int k = 0; k < mini.length; k++) {
      ts.add(batch.trajectories().get(mini[k]));
      o[k] = old[mini[k]];
      r[k] = ref[mini[k]];
      a[k] = advantages[mini[k]];
    }
    return workers.gradient(
        AdapterWeights.of(policy),
        new DistributedRollouts.GradientTask(ts, o, r, a, totals[0], totals[1], firstOfUpdate));
  }
}

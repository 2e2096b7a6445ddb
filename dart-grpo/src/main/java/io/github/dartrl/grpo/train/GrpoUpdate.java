package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.OwnedArrays;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.BatchOrder;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.optim.LrSchedule;
import io.github.dartrl.core.optim.OptimizerStep;
import io.github.dartrl.core.policy.Isolation;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.grpo.loss.GrpoLoss;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimisation half of a GRPO step: given finished trajectories and their advantages, compute
 * π_old (recomputed or as sampled) and π_ref, then for each epoch and mini-batch accumulate the
 * gradient of the GRPO loss over micro-batches, skip the update if anything is not finite, clip by
 * global norm and apply AdamW.
 *
 * <p>Per-trajectory π_old and π_ref are stored by token, so mini-batches of later epochs may group
 * trajectories differently. Epoch 0 keeps the rollout order, and the recompute pass uses the same
 * micro-batches, so on-policy the first mini-batch's ratio is exactly 1.
 */
final class GrpoUpdate {
  private static final Logger LOG = LoggerFactory.getLogger(GrpoUpdate.class);
  private final Policy policy;
  private final GrpoConfig config;
  private final GrpoLoss loss;
  private final AdamW optimizer;
  private final Gradients gradients;
  private final LrSchedule schedule;
  private final DecoderModel reference; // FULL only
  private final long padId;
  private final java.util.Set<TokenRole> trainRoles;
  // test seam: sees the accumulated gradients of each mini-batch before they are checked
  private java.util.function.Consumer<Gradients> afterBackward = g -> {};

  GrpoUpdate(
      Policy policy,
      GrpoConfig config,
      AdamW optimizer,
      Gradients gradients,
      LrSchedule schedule,
      DecoderModel reference,
      long padId,
      java.util.Set<TokenRole> trainRoles) {
    this.trainRoles = java.util.Set.copyOf(trainRoles);
    this.policy = policy;
    this.config = config;
    this.loss = new GrpoLoss(config.loss());
    this.optimizer = optimizer;
    this.gradients = gradients;
    this.schedule = schedule;
    this.reference = reference;
    this.padId = padId;
  }

  /** For fault tests: called with the accumulated gradients before the finiteness check. */
  void afterBackward(java.util.function.Consumer<Gradients> hook) {
    afterBackward = java.util.Objects.requireNonNull(hook);
  }

  UpdateStats apply(List<Trajectory> ts, float[] advantages, long stepSeed) {
    return apply(ts, advantages, stepSeed, null);
  }

  /**
   * The update of one step; with {@code remote}, π_old/π_ref come from the rollouts' workers and
   * each mini-batch's gradient is summed over them ({@link DistributedRollouts}), while the
   * clipping, the optimizer step and the schedule stay here.
   */
  UpdateStats apply(
      List<Trajectory> ts, float[] advantages, long stepSeed, RemoteGradients remote) {
    float temperature = temperature();
    int n = ts.size();
    double sampledDiff = Double.NaN;
    List<int[]> epoch0 = miniBatches(n, 0, stepSeed);
    float[][][] oldRef =
        remote == null ? oldAndReference(ts, epoch0, temperature) : remote.oldAndReference();
    float[][] old = oldRef[0];
    float[][] ref = oldRef[1];
    if (config.recomputeOldLogProbs()) {
      sampledDiff = 0;
      for (int i = 0; i < n; i++) {
        float[] rec = ts.get(i).logProbs();
        for (int p = 1; p < rec.length; p++) {
          if (!Float.isNaN(rec[p])) {
            sampledDiff = Math.max(sampledDiff, Math.abs(rec[p] - old[i][p]));
          }
        }
      }
    } else {
      for (int i = 0; i < n; i++) {
        old[i] = ts.get(i).logProbs();
      }
    }
    UpdateAccumulator acc = new UpdateAccumulator();
    for (int epoch = 0; epoch < config.ppoEpochs(); epoch++) {
      List<int[]> minis = epoch == 0 ? epoch0 : miniBatches(n, epoch, stepSeed);
      acc.epoch = epoch;
      for (int m = 0; m < minis.size(); m++) {
        runMiniBatch(
            ts, minis.get(m), old, ref, advantages, temperature, acc, epoch == 0 && m == 0, remote);
        acc.miniBatches++;
      }
    }
    return acc.stats(sampledDiff);
  }

  float temperature() {
    return (float) Math.max(config.rollout().temperature(), 1e-6);
  }

  /**
   * π_old (when recomputed) and π_ref per trajectory and token, {@code {old, ref}}, by the
   * micro-batches of {@code minis}; entries stay null when not needed.
   */
  float[][][] oldAndReference(List<Trajectory> ts, List<int[]> minis, float temperature) {
    int n = ts.size();
    float[][] old = new float[n][];
    float[][] ref = new float[n][];
    for (int[] mini : minis) {
      for (int[] micro : microBatches(mini)) {
        SequenceBatch batch = batchOf(ts, micro);
        try (GradMode off = GradMode.disabled();
            NDManager scope = policy.model().newScope()) {
          if (config.recomputeOldLogProbs()) {
            float[] lp = policy.logProbs(scope, batch, temperature).toFloatArray();
            for (int k = 0; k < micro.length; k++) {
              old[micro[k]] = perToken(lp, batch, k);
            }
          }
          if (config.loss().klCoef() > 0) {
            float[] lp = referenceLogProbs(scope, batch, temperature);
            for (int k = 0; k < micro.length; k++) {
              ref[micro[k]] = perToken(lp, batch, k);
            }
          }
        }
      }
    }
    return new float[][][] {old, ref};
  }

  /** The loss denominators of a mini-batch: {trained tokens, sequences with a trained token}. */
  double[] denominators(List<Trajectory> ts, int[] mini) {
    double tokenSum = 0;
    double seqSum = 0;
    for (int i : mini) {
      int t = trainedTokens(ts.get(i));
      tokenSum += t;
      seqSum += t > 0 ? 1 : 0;
    }
    return new double[] {tokenSum, seqSum};
  }

  private void runMiniBatch(
      List<Trajectory> ts,
      int[] mini,
      float[][] old,
      float[][] ref,
      float[] adv,
      float temperature,
      UpdateAccumulator acc,
      boolean first,
      RemoteGradients remote) {
    double[] totals = denominators(ts, mini);
    boolean finite;
    if (remote == null) {
      finite = accumulate(ts, mini, old, ref, adv, temperature, acc, first, totals[0], totals[1]);
    } else {
      GradientShare share = remote.gradient(mini, old, ref, totals, first);
      loadGradients(share.gradient());
      acc.merge(share.diagnostics());
      finite = share.finite();
    }
    afterBackward.accept(gradients);
    double lr = schedule.at(optimizer.stepCount());
    OptimizerStep.Outcome o =
        OptimizerStep.apply(gradients, optimizer, finite, config.maxGradNorm(), lr);
    if (!o.applied()) {
      List<String> bad = o.nonFinite();
      LOG.warn(
          "non-finite {}: update skipped, weights untouched (arrays: {})",
          finite ? "gradient" : "loss",
          bad.size() > 4 ? bad.subList(0, 4) + " and " + (bad.size() - 4) + " more" : bad);
      acc.skipped++;
      return;
    }
    double norm = o.gradNorm();
    acc.gradNormSum += norm;
    acc.steps++;
    acc.lr = lr;
  }

  /**
   * Adds the gradient of the GRPO loss over rows {@code mini} (divided by the mini-batch's
   * denominators, which may count rows held elsewhere) to the gradient buffers, micro-batch by
   * micro-batch; returns whether every loss was finite.
   */
  boolean accumulate(
      List<Trajectory> ts,
      int[] mini,
      float[][] old,
      float[][] ref,
      float[] adv,
      float temperature,
      UpdateAccumulator acc,
      boolean first,
      double totalTokens,
      double totalSeqs) {
    boolean finite = true;
    for (int[] micro : microBatches(mini)) {
      SequenceBatch batch = batchOf(ts, micro);
      float[] mask = batch.lossMask(trainRoles);
      if (policy.config().isolation() == Isolation.STRICT && policy.adapters() != null) {
        int adapters = policy.adapters().configs().size();
        // each adapter's pass divides by the sequence's trained tokens, not its own share of them
        float[] seqTokens = rowSums(mask, batch);
        try (NDManager masks = policy.model().newScope()) {
          for (int a = 0; a < adapters; a++) {
            float[] own = adapterMask(batch, mask, a);
            boolean firstPass = first && a == 0;
            try (NDManager scope = policy.model().newScope()) {
              MicroBatch mb =
                  new MicroBatch(
                      scope, batch, micro, own, seqTokens, totalTokens, totalSeqs, firstPass);
              float v =
                  gradients.backward(
                      () -> microLoss(mb, old, ref, adv, temperature, acc),
                      policy.adapters().gradientMasks(a, masks));
              finite &= Float.isFinite(v);
            }
          }
        }
      } else {
        try (NDManager scope = policy.model().newScope()) {
          MicroBatch mb =
              new MicroBatch(scope, batch, micro, mask, null, totalTokens, totalSeqs, first);
          float v = gradients.backward(() -> microLoss(mb, old, ref, adv, temperature, acc));
          finite &= Float.isFinite(v);
        }
      }
    }
    return finite;
  }

  /** Sets the (zeroed) gradient buffers from a flat array in the parameters' order. */
  private void loadGradients(float[] flat) {
    int at = 0;
    for (String name : gradients.parameters().keySet()) {
      NDArray buf = gradients.get(name);
      int size = Math.toIntExact(buf.size());
      buf.set(java.nio.FloatBuffer.wrap(flat, at, size).slice());
      at += size;
    }
    if (at != flat.length) {
      throw new IllegalStateException(
          "a remote gradient holds " + flat.length + " values, the adapters " + at);
    }
  }

  /**
   * One micro-batch of a mini-batch, with the mini-batch's loss denominators; {@code seqTokens}
   * (per row, or null when {@code mask} is the whole trained mask) for STRICT isolation's passes.
   */
  private record MicroBatch(
      NDManager scope,
      SequenceBatch batch,
      int[] rows,
      float[] mask,
      float[] seqTokens,
      double totalTokens,
      double totalSeqs,
      boolean firstOfUpdate) {}

  private NDArray microLoss(
      MicroBatch mb,
      float[][] old,
      float[][] ref,
      float[] adv,
      float temperature,
      UpdateAccumulator acc) {
    NDManager scope = mb.scope();
    SequenceBatch batch = mb.batch();
    int[] micro = mb.rows();
    float[] mask = mb.mask();
    int b = batch.batch();
    int l = batch.length();
    Shape shape = new Shape(b, l);
    NDArray lp;
    NDArray entropy = null;
    boolean entropyGrad = config.loss().entropyCoef() > 0;
    if (config.logEntropy() || entropyGrad) {
      NDList both = policy.logProbsAndEntropy(scope, batch, temperature, entropyGrad);
      lp = both.get(0);
      entropy = both.get(1);
    } else {
      lp = policy.logProbs(scope, batch, temperature);
    }
    float[] a = new float[b];
    for (int k = 0; k < b; k++) {
      a[k] = adv[micro[k]];
    }
    NDArray oldArr = OwnedArrays.of(scope, columns(old, micro, batch), shape);
    NDArray refArr =
        config.loss().klCoef() > 0
            ? OwnedArrays.of(scope, columns(ref, micro, batch), shape)
            : null;
    GrpoLoss.Result r =
        loss.compute(
            new GrpoLoss.Inputs(
                lp,
                oldArr,
                refArr,
                entropy,
                OwnedArrays.of(scope, a, new Shape(b, 1)),
                OwnedArrays.of(scope, mask, shape),
                mb.totalTokens(),
                mb.totalSeqs(),
                mb.seqTokens() == null
                    ? null
                    : OwnedArrays.of(scope, mb.seqTokens(), new Shape(b))));
    acc.add(r, mb.firstOfUpdate());
    return r.loss();
  }

  /** Trained tokens of each row of a batch's mask. */
  private static float[] rowSums(float[] mask, SequenceBatch batch) {
    float[] out = new float[batch.batch()];
    for (int r = 0; r < batch.batch(); r++) {
      for (int j = 0; j < batch.length(); j++) {
        out[r] += mask[r * batch.length() + j];
      }
    }
    return out;
  }

  /** Mask restricted to positions whose adapter (by the target's role) is {@code adapter}. */
  private float[] adapterMask(SequenceBatch batch, float[] mask, int adapter) {
    float[] own = mask.clone();
    for (int r = 0; r < batch.batch(); r++) {
      for (int j = 0; j < batch.length(); j++) {
        int role = batch.targetRole(r, j);
        if (role < 0 || policy.roleMap().adapterForCode(role) != adapter) {
          own[r * batch.length() + j] = 0;
        }
      }
    }
    return own;
  }

  private float[] referenceLogProbs(NDManager scope, SequenceBatch batch, float temperature) {
    if (reference != null) {
      NDArray h = reference.hidden(scope, batch.tokens(), null, null);
      NDArray targets =
          OwnedArrays.of(scope, batch.targets(), new Shape(batch.batch(), batch.length()));
      return reference.logProbs(h, targets, temperature).toFloatArray();
    }
    try (AutoCloseable off = policy.reference()) {
      return policy.logProbs(scope, batch, temperature).toFloatArray();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private int trainedTokens(Trajectory t) {
    int n = 0;
    for (int p = 1; p < t.roles().length; p++) {
      n += trainRoles.contains(TokenRole.ofCode(t.roles()[p])) ? 1 : 0;
    }
    return n;
  }

  /** Values by token position (index p = the log-prob of token p) from a batch's columns. */
  private static float[] perToken(float[] lp, SequenceBatch batch, int row) {
    float[] out = new float[batch.length(row)];
    Arrays.fill(out, Float.NaN);
    int pad = batch.padding(row);
    for (int p = 1; p < out.length; p++) {
      out[p] = lp[row * batch.length() + pad + p - 1];
    }
    return out;
  }

  /** Per-token values laid out as a batch's columns (0 where there is no target). */
  private static float[] columns(float[][] perToken, int[] micro, SequenceBatch batch) {
    float[] out = new float[batch.batch() * batch.length()];
    for (int k = 0; k < micro.length; k++) {
      float[] v = perToken[micro[k]];
      int pad = batch.padding(k);
      for (int p = 1; p < v.length; p++) {
        float x = v[p];
        out[k * batch.length() + pad + p - 1] = Float.isNaN(x) ? 0f : x;
      }
    }
    return out;
  }

  private SequenceBatch batchOf(List<Trajectory> ts, int[] rows) {
    List<long[]> ids = new ArrayList<>();
    List<int[]> roles = new ArrayList<>();
    for (int i : rows) {
      ids.add(ts.get(i).tokens());
      roles.add(ts.get(i).roles());
    }
    return new SequenceBatch(ids, roles, padId);
  }

  private List<int[]> miniBatches(int n, int epoch, long stepSeed) {
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    if (epoch > 0) { // epoch 0 keeps the rollout order (see the class comment)
      order = BatchOrder.shuffled(n, stepSeed * 31 + epoch);
    }
    List<int[]> out = new ArrayList<>();
    int k = config.miniBatches();
    for (int m = 0; m < k; m++) {
      out.add(Arrays.copyOfRange(order, m * n / k, (m + 1) * n / k));
    }
    return out;
  }

  private List<int[]> microBatches(int[] mini) {
    return BatchOrder.chunks(mini, config.microBatchSize());
  }
}

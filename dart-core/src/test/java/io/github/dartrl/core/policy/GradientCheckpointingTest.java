package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.Scalars;
import io.github.dartrl.core.model.TestModels;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.routing.TokenRole;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Gradient checkpointing (per-layer recomputation, {@link DecoderModel#setGradientCheckpointing})
 * gives the plain forward's log-probs exactly and its gradients within 1e-5 relative, for DART's
 * two routed adapters and for FULL, with and without a differentiable entropy term; it refuses to
 * run outside {@code Gradients.backward}, and a long loop of checkpointed steps leaves no arrays
 * behind.
 */
class GradientCheckpointingTest {
  private static final long[] SHORT = {3, 4, 0, 1, 5, 8, 2};

  @Test
  void dartGradientsAndLogProbsEqualThePlainForward() {
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = TestModels.sharp(root, PolicyTest.PIECES.length, 31);
        Policy policy = Policy.create(model, PolicyConfig.dart(), PolicyTest.DETOK)) {
      PolicyTest.randomizeB(policy.adapters(), 4);
      SequenceBatch batch = batch(policy);
      for (boolean entropy : new boolean[] {false, true}) {
        Run plain = run(policy, batch, false, entropy);
        Run checkpointed = run(policy, batch, true, entropy);
        assertThat(checkpointed.logProbs).containsExactly(plain.logProbs);
        assertThat(checkpointed.loss).isEqualTo(plain.loss);
        assertSameGradients(checkpointed.grads, plain.grads, 1e-5);
        // both adapters received a gradient (routed: REASONING and TOOL positions)
        assertThat(plain.grads.keySet()).hasSizeGreaterThan(2);
      }
    }
  }

  @Test
  void fullGradientsEqualThePlainForward() {
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = TestModels.sharp(root, PolicyTest.PIECES.length, 32);
        Policy policy = Policy.create(model, PolicyConfig.of(Method.FULL, 8), PolicyTest.DETOK)) {
      SequenceBatch batch = batch(policy);
      Run plain = run(policy, batch, false, true);
      Run checkpointed = run(policy, batch, true, true);
      assertThat(checkpointed.logProbs).containsExactly(plain.logProbs);
      // every backbone tensor, including the tied embedding (lookup and LM head) and the norms
      assertThat(plain.grads).hasSameSizeAs(model.parameters());
      assertSameGradients(checkpointed.grads, plain.grads, 1e-5);
    }
  }

  @Test
  void refusedInABareGradientCollector() {
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = TestModels.sharp(root, PolicyTest.PIECES.length, 33);
        Policy policy = Policy.create(model, PolicyConfig.dart(), PolicyTest.DETOK)) {
      model.setGradientCheckpointing(true);
      SequenceBatch batch = batch(policy);
      try (NDManager s = model.newScope();
          GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        assertThatThrownBy(() -> policy.logProbs(s, batch, 1f))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("Gradients.backward");
      }
      // without gradients (pi_old, reference, rollouts) checkpointing changes nothing
      try (NDManager s = model.newScope();
          GradMode off = GradMode.disabled()) {
        assertThat(policy.logProbs(s, batch, 1f).toFloatArray()).doesNotContain(Float.NaN);
      }
    }
  }

  @Test
  void manyCheckpointedStepsLeaveNoArraysBehind() {
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = TestModels.sharp(root, PolicyTest.PIECES.length, 34);
        Policy policy = Policy.create(model, PolicyConfig.dart(), PolicyTest.DETOK)) {
      model.setGradientCheckpointing(true);
      SequenceBatch batch = batch(policy);
      var params = policy.trainableParameters();
      try (Gradients g = new Gradients(params, root);
          AdamW opt = new AdamW(AdamW.Config.defaults(), params, root)) {
        int before = 0;
        for (int step = 0; step < 60; step++) {
          try (NDManager s = model.newScope()) {
            g.backward(() -> loss(policy, s, batch, true));
          }
          opt.step(g, 1e-3);
          g.zero();
          if (step == 5) { // after AdamW's lazily created state exists
            before = count(root);
          }
        }
        assertThat(count(root)).isEqualTo(before);
      }
    }
  }

  private static int count(NDManager m) {
    int n = m.getManagedArrays().size();
    for (NDManager sub :
        m.getManagedArrays().stream()
            .filter(r -> r instanceof NDManager)
            .map(r -> (NDManager) r)
            .toList()) {
      n += count(sub);
    }
    return n;
  }

  static SequenceBatch batch(Policy p) {
    return new SequenceBatch(
        List.of(PolicyTest.SEQ, SHORT),
        List.of(PolicyTest.rolesOf(PolicyTest.SEQ, 1, p), PolicyTest.rolesOf(SHORT, 2, p)),
        0);
  }

  private record Run(float[] logProbs, float loss, Map<String, float[]> grads) {}

  private static Run run(Policy p, SequenceBatch batch, boolean checkpoint, boolean entropy) {
    p.model().setGradientCheckpointing(checkpoint);
    try {
      float[][] lp = new float[1][];
      Map<String, float[]> grads = new LinkedHashMap<>();
      float value;
      try (NDManager s = p.model().newScope();
          Gradients g = new Gradients(p.trainableParameters(), s)) {
        value =
            g.backward(
                () -> {
                  NDArray l = loss(p, s, batch, entropy);
                  lp[0] = LAST_LP.get().toFloatArray();
                  return l;
                });
        for (String name : p.trainableParameters().keySet()) {
          grads.put(name, g.get(name).toFloatArray());
        }
      }
      return new Run(lp[0], value, grads);
    } finally {
      p.model().setGradientCheckpointing(false);
    }
  }

  private static final ThreadLocal<NDArray> LAST_LP = new ThreadLocal<>();

  /** Masked mean log-prob, plus (if asked) a differentiable entropy bonus. */
  static NDArray loss(Policy p, NDManager s, SequenceBatch batch, boolean entropy) {
    NDArray mask =
        s.create(
            batch.lossMask(EnumSet.of(TokenRole.REASONING, TokenRole.TOOL)),
            new Shape(batch.batch(), batch.length()));
    NDArray lp;
    NDArray ent = null;
    if (entropy) {
      NDList both = p.logProbsAndEntropy(s, batch, 1.3f, true);
      lp = both.get(0);
      ent = both.get(1);
    } else {
      lp = p.logProbs(s, batch, 1.3f);
    }
    LAST_LP.set(lp);
    float n = Math.max(1f, mask.sum().getFloat());
    NDArray l = Scalars.div(lp.mul(mask).sum().neg(), n);
    if (ent != null) {
      l = l.sub(Scalars.div(ent.mul(mask).sum(), 10.0 * n));
    }
    return l;
  }

  private static void assertSameGradients(
      Map<String, float[]> actual, Map<String, float[]> expected, double tolerance) {
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    double normSq = 0;
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      for (float v : e.getValue()) {
        normSq += v * v;
      }
    }
    assertThat(normSq).as("the plain gradient is not zero").isGreaterThan(0);
    for (Map.Entry<String, float[]> e : expected.entrySet()) {
      float[] a = actual.get(e.getKey());
      float[] b = e.getValue();
      double diff = 0;
      double norm = 0;
      for (int i = 0; i < b.length; i++) {
        diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
        norm += b[i] * (double) b[i];
      }
      // per tensor, relative to the tensor's own norm (or the whole gradient's, for tiny ones)
      double scale = Math.max(Math.sqrt(norm), 1e-3 * Math.sqrt(normSq));
      assertThat(Math.sqrt(diff) / scale).as(e.getKey()).isLessThanOrEqualTo(tolerance);
    }
  }
}

package io.github.dartrl.leas.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.loss.GroupAdvantages;
import io.github.dartrl.grpo.reward.RewardInput;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.leas.LeasFixtures;
import io.github.dartrl.leas.TinyModelBase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The batch-level probe end to end on a tiny LoRA policy: its split angles equal the angles of an
 * independent computation, one batched forward and backward per half and role over all of that
 * half's trajectories (loss Σ_i −A_i · mean_{t∈T_b} log π), through a raw DJL gradient collector.
 */
class BatchProbeEndToEndTest extends TinyModelBase {
  static final int G = 4;

  @Test
  void splitAnglesEqualOneBatchedBackwardPerHalf() {
    List<QaExample> qs =
        List.of(
            QaExample.of("a", "who is the capital", List.of("paris")),
            QaExample.of("b", "the city of france", List.of("paris")),
            QaExample.of("c", "capital of rome", List.of("rome")),
            QaExample.of("d", "who is the city", List.of("paris")),
            QaExample.of("e", "the capital of the city", List.of("rome")));
    ProbeConfig cfg =
        ProbeConfig.defaults().withGroupSize(G).withSeed(3).withQueriesPerRollout(qs.size());
    try (Policy p = Policy.create(model, PolicyConfig.of(Method.LORA, 4), tok);
        GradientAngleProbe probe =
            GradientAngleProbe.builder()
                .setPolicy(p)
                .setTokenizer(tok)
                .setRetriever(new LeasFixtures.ScriptedRetriever())
                .optTemplate(LeasFixtures.SHORT)
                .optRollout(LeasFixtures.rollout())
                .optReward(GradientAngleProbeTest::oddLength)
                .optConfig(cfg)
                .build()) {
      LeasFixtures.randomizeB(p.adapters(), 2);
      ProbeRun run = probe.run(qs, new BatchSplitConfig(8, 2, 36));
      assertThat(run.batchError()).isNull();
      BatchProbeResult b = run.batch();
      assertThat(b.groups()).isEqualTo(run.trajectories().counts().mixedGroups()).isGreaterThan(2);
      assertThat(b.splits()).hasSize(8);
      assertThat(b.parameterGroups()).containsExactly("layer.0", "layer.1");
      // the per-trajectory part is the plain probe's result on the same rollouts
      ProbeResult plain = probe.run(qs);
      assertThat(run.trajectories().pairs()).hasSameSizeAs(plain.pairs());
      for (int i = 0; i < plain.pairs().size(); i++) {
        assertThat(run.trajectories().pairs().get(i).degrees())
            .isEqualTo(plain.pairs().get(i).degrees());
      }

      // the direct computation, on the same rollouts (one chunk, the probe's seed)
      RolloutEngine engine =
          new RolloutEngine(
              p,
              tok,
              new LeasFixtures.ScriptedRetriever(),
              LeasFixtures.SHORT,
              LeasFixtures.rollout());
      List<Trajectory> ts =
          engine.rollout(qs.stream().map(QaExample::question).toList(), G, cfg.seed() * 1_000_003L);
      float[] adv = new float[ts.size()];
      for (int q = 0; q < qs.size(); q++) {
        double[] rewards = new double[G];
        for (int i = 0; i < G; i++) {
          Trajectory t = ts.get(q * G + i);
          rewards[i] =
              GradientAngleProbeTest.oddLength(
                      new RewardInput(
                          qs.get(q).question(),
                          qs.get(q).goldenAnswers(),
                          t.responseText(),
                          t.truncated(),
                          t.queries().size(),
                          List.of()))
                  .reward();
        }
        float[] a = GroupAdvantages.compute(rewards, new int[G], true, 1e-6).advantages();
        System.arraycopy(a, 0, adv, q * G, G);
      }
      for (SplitAngles s : b.splits().subList(0, 3)) {
        double[] ra = direct(p, probe.layout(), ts, adv, s.halfA(), TokenRole.REASONING);
        double[] ta = direct(p, probe.layout(), ts, adv, s.halfA(), TokenRole.TOOL);
        double[] rb = direct(p, probe.layout(), ts, adv, s.halfB(), TokenRole.REASONING);
        double[] tb = direct(p, probe.layout(), ts, adv, s.halfB(), TokenRole.TOOL);
        assertThat(s.sameReasoning()).isCloseTo(Angles.degrees(ra, rb), within(0.05));
        assertThat(s.sameTool()).isCloseTo(Angles.degrees(ta, tb), within(0.05));
        assertThat(s.interRoleA()).isCloseTo(Angles.degrees(ra, ta), within(0.05));
        assertThat(s.interRoleB()).isCloseTo(Angles.degrees(rb, tb), within(0.05));
        assertThat(s.interRoleA()).isBetween(0.5, 179.5); // a real angle, not a degenerate one
      }
    }
  }

  /**
   * ∇ Σ_{i in the half's groups} −A_i · mean_{t∈T_role(τ_i)} log π(τ_i,t): one forward over all the
   * half's trajectories (left-padded), one backward, read from {@code .grad} and zeroed by hand.
   */
  double[] direct(
      Policy p,
      ParameterGroups layout,
      List<Trajectory> ts,
      float[] adv,
      int[] queries,
      TokenRole role) {
    List<Trajectory> rows = new ArrayList<>();
    List<Float> rowAdv = new ArrayList<>();
    for (int q : queries) {
      for (int i = 0; i < G; i++) {
        rows.add(ts.get(q * G + i));
        rowAdv.add(adv[q * G + i]);
      }
    }
    SequenceBatch batch =
        new SequenceBatch(
            rows.stream().map(Trajectory::tokens).toList(),
            rows.stream().map(Trajectory::roles).toList(),
            tok.padTokenId().orElse(0));
    int l = batch.length();
    float[] w = batch.lossMask(Set.of(role));
    for (int r = 0; r < rows.size(); r++) {
      float n = 0;
      for (int j = 0; j < l; j++) {
        n += w[r * l + j];
      }
      for (int j = 0; j < l; j++) {
        w[r * l + j] = n == 0 ? 0 : w[r * l + j] * -rowAdv.get(r) / n;
      }
    }
    try (NDManager scope = model.newScope();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray lp = p.logProbs(scope, batch, 1f);
      gc.backward(lp.mul(scope.create(w, new Shape(rows.size(), l))).sum());
    }
    Map<String, float[]> grads = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : p.trainableParameters().entrySet()) {
      try (NDArray g = e.getValue().getGradient()) {
        grads.put(e.getKey(), g.toFloatArray());
      }
      JniUtils.zeroGrad((PtNDArray) e.getValue());
    }
    float[] flat = GradientAngleProbeTest.concat(layout, grads);
    double[] out = new double[flat.length];
    for (int i = 0; i < flat.length; i++) {
      out[i] = flat[i];
    }
    return out;
  }
}

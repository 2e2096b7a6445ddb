package io.github.dartrl.leas.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.grpo.tool.ObservationFormatter;
import io.github.dartrl.leas.LeasFixtures;
import io.github.dartrl.leas.TinyModelBase;
import io.github.dartrl.leas.stats.WilcoxonSignedRank;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GradientAngleProbeTest extends TinyModelBase {

  /** A fixed trajectory: think, search (a 4-token tool span), observation, answer. */
  Trajectory handMade(TokenRouter router) {
    long[] prompt = tok.encode(LeasFixtures.SHORT.apply("who is the capital"));
    long[] turn1 =
        tok.encode("<think> paris is the city </think> <search> capital of france </search>");
    long[] obs =
        new ObservationFormatter(tok, 40)
            .tokens(new LeasFixtures.ScriptedRetriever().search(List.of("q"), 2).get(0));
    long[] turn2 = tok.encode("<think> it is paris </think> <answer> paris </answer>");
    TokenRouter.State s = router.newState();
    TokenRole[] r1 = router.roles(s, turn1);
    s.given();
    TokenRole[] r2 = router.roles(s, turn2);
    int n = prompt.length + turn1.length + obs.length + turn2.length;
    long[] ids = new long[n];
    int[] roles = new int[n];
    int at = 0;
    for (long[] part : List.of(prompt, turn1, obs, turn2)) {
      System.arraycopy(part, 0, ids, at, part.length);
      at += part.length;
    }
    at = 0;
    for (int i = 0; i < prompt.length; i++) {
      roles[at++] = TokenRole.PROMPT.code();
    }
    for (TokenRole r : r1) {
      roles[at++] = r.code();
    }
    for (int i = 0; i < obs.length; i++) {
      roles[at++] = TokenRole.OBSERVATION.code();
    }
    for (TokenRole r : r2) {
      roles[at++] = r.code();
    }
    float[] lp = new float[n];
    Arrays.fill(lp, Float.NaN);
    return new Trajectory(
        0,
        0,
        ids,
        roles,
        lp,
        prompt.length,
        "",
        2,
        List.of(),
        List.of(),
        2,
        0,
        Trajectory.End.ANSWER,
        false);
  }

  /**
   * The reference: a raw DJL gradient collector per role (no {@link
   * io.github.dartrl.core.optim.Gradients}), the mask built from the role array by hand, the TOOL
   * pass first, {@code .grad} read and zeroed by hand.
   */
  Map<String, float[]> manual(Policy p, Trajectory t, TokenRole role, float adv) {
    int n = t.tokens().length;
    float[] mask = new float[n];
    int count = 0;
    for (int pos = 1; pos < n; pos++) {
      if (t.roles()[pos] == role.code()) {
        mask[pos - 1] = 1; // column pos-1 predicts token pos (one row: no padding)
        count++;
      }
    }
    SequenceBatch batch = new SequenceBatch(List.of(t.tokens()), List.of(t.roles()), 0);
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager scope = model.newScope();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray lp = p.logProbs(scope, batch, 1f);
      NDArray loss = lp.mul(scope.create(mask, new Shape(1, n))).sum().mul(-adv / count);
      gc.backward(loss);
    }
    for (Map.Entry<String, NDArray> e : p.trainableParameters().entrySet()) {
      try (NDArray g = e.getValue().getGradient()) {
        out.put(e.getKey(), g.toFloatArray());
      }
      JniUtils.zeroGrad((PtNDArray) e.getValue());
    }
    return out;
  }

  void checkAgainstManualPasses(Policy p) {
    Trajectory t = handMade(p.router());
    long toolTokens = Arrays.stream(t.roles()).filter(r -> r == TokenRole.TOOL.code()).count();
    assertThat(toolTokens).as("capital of france </search>").isEqualTo(4);
    float adv = -0.7f;
    try (GradientAngleProbe probe =
        GradientAngleProbe.builder()
            .setPolicy(p)
            .setTokenizer(tok)
            .setRetriever(new LeasFixtures.ScriptedRetriever())
            .optRollout(LeasFixtures.rollout())
            .build()) {
      RoleGradients rg = probe.gradients(t, adv);
      assertThat(rg.toolTokens()).isEqualTo(4);
      Map<String, float[]> tool = manual(p, t, TokenRole.TOOL, adv);
      Map<String, float[]> reas = manual(p, t, TokenRole.REASONING, adv);
      float[] probeReas = rg.reasoning().flatten();
      float[] probeTool = rg.tool().flatten();
      float[] refReas = concat(probe.layout(), reas);
      float[] refTool = concat(probe.layout(), tool);
      assertThat(probeReas).hasSameSizeAs(refReas);
      for (int i = 0; i < refReas.length; i++) {
        assertThat(probeReas[i]).isCloseTo(refReas[i], within(1e-6f));
        assertThat(probeTool[i]).isCloseTo(refTool[i], within(1e-6f));
      }
      assertThat(rg.reasoning().isUsable()).isTrue();
      assertThat(rg.tool().isUsable()).isTrue();
      // Linearity: the gradient of the token mean over both roles is the token-weighted mean of
      // the two role gradients, so the separate passes neither leak nor accumulate.
      Map<String, float[]> both = manualBoth(p, t, adv);
      float[] refBoth = concat(probe.layout(), both);
      int nr = rg.reasoningTokens();
      int na = rg.toolTokens();
      double scale = 0;
      for (float v : refBoth) {
        scale = Math.max(scale, Math.abs(v));
      }
      for (int i = 0; i < refBoth.length; i++) {
        double mix = (nr * (double) probeReas[i] + na * (double) probeTool[i]) / (nr + na);
        assertThat(mix).isCloseTo(refBoth[i], within(1e-5 * scale + 1e-9));
      }
      // and the same call twice gives the same gradients
      RoleGradients again = probe.gradients(t, adv);
      assertThat(again.tool().flatten()).containsExactly(probeTool);
    }
  }

  Map<String, float[]> manualBoth(Policy p, Trajectory t, float adv) {
    int n = t.tokens().length;
    float[] mask = new float[n];
    int count = 0;
    for (int pos = 1; pos < n; pos++) {
      if (TokenRole.ofCode(t.roles()[pos]).isSampled()) {
        mask[pos - 1] = 1;
        count++;
      }
    }
    SequenceBatch batch = new SequenceBatch(List.of(t.tokens()), List.of(t.roles()), 0);
    Map<String, float[]> out = new LinkedHashMap<>();
    try (NDManager scope = model.newScope();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray lp = p.logProbs(scope, batch, 1f);
      gc.backward(lp.mul(scope.create(mask, new Shape(1, n))).sum().mul(-adv / count));
    }
    for (Map.Entry<String, NDArray> e : p.trainableParameters().entrySet()) {
      try (NDArray g = e.getValue().getGradient()) {
        out.put(e.getKey(), g.toFloatArray());
      }
      JniUtils.zeroGrad((PtNDArray) e.getValue());
    }
    return out;
  }

  static float[] concat(ParameterGroups layout, Map<String, float[]> byName) {
    float[] out = new float[(int) layout.totalSize()];
    for (String name : layout.arrays()) {
      float[] v = byName.get(name);
      System.arraycopy(
          v, 0, out, groupStart(layout, layout.groupOf(name)) + layout.offsetOf(name), v.length);
    }
    return out;
  }

  static int groupStart(ParameterGroups layout, int g) {
    int s = 0;
    for (int i = 0; i < g; i++) {
      s += layout.size(i);
    }
    return s;
  }

  @Test
  void loraGradientsEqualTwoSeparateManualBackwardPasses() {
    try (Policy p = Policy.create(model, PolicyConfig.of(Method.LORA, 4), tok)) {
      LeasFixtures.randomizeB(p.adapters(), 2);
      checkAgainstManualPasses(p);
    }
  }

  @Test
  void fullModelGradientsEqualTwoSeparateManualBackwardPasses() {
    try (Policy p = Policy.create(model, PolicyConfig.of(Method.FULL, 4), tok)) {
      checkAgainstManualPasses(p);
    }
  }

  /** A probe of {@code p} on the scripted retriever with the fixtures' rollout settings. */
  GradientAngleProbe.Builder scripted(Policy p) {
    return GradientAngleProbe.builder()
        .setPolicy(p)
        .setTokenizer(tok)
        .setRetriever(new LeasFixtures.ScriptedRetriever())
        .optRollout(LeasFixtures.rollout());
  }

  /**
   * With two tools, the per-tool gradients are the parts of the coarse tool gradient: the gradient
   * of the mean over both tools' tokens is the token-weighted mean of each tool's.
   */
  @Test
  void perToolGradientsAreTheTokenWeightedPartsOfTheToolGradient() {
    try (Policy p = Policy.create(model, PolicyConfig.of(Method.LORA, 4), tok);
        GradientAngleProbe probe = scripted(p).build();
        TrajectoryGradients g =
            new TrajectoryGradients(p, probe.layout(), 0, LeasFixtures.rollout().temperature())) {
      LeasFixtures.randomizeB(p.adapters(), 3);
      Trajectory t = handMade(p.router());
      // the search span's last two tokens ("france </search>") relabelled as a second tool's
      int[] roles = t.roles();
      int seen = 0;
      for (int i = 0; i < roles.length; i++) {
        if (roles[i] == TokenRole.TOOL.code() && seen++ >= 2) {
          roles[i] = TokenRole.toolCode(1);
        }
      }
      float adv = 0.9f;
      RoleGradients coarse = g.roles(t, adv);
      assertThat(coarse.toolTokens()).isEqualTo(4);
      float[] first = g.tool(t, adv, 0).flatten();
      float[] second = g.tool(t, adv, 1).flatten();
      float[] both = coarse.tool().flatten();
      double scale = 0;
      for (float v : both) {
        scale = Math.max(scale, Math.abs(v));
      }
      assertThat(scale).isPositive();
      for (int i = 0; i < both.length; i++) {
        assertThat((first[i] + (double) second[i]) / 2).isCloseTo(both[i], within(1e-5 * scale));
      }
      assertThat(g.tool(t, adv, 2)).as("no third tool's tokens").isNull();
      // the probe's own entry point computes the same coarse gradients
      assertThat(probe.gradients(t, adv).tool().flatten()).containsExactly(both);
    }
  }

  static RewardResult oddLength(io.github.dartrl.grpo.reward.RewardInput in) {
    boolean odd = in.response().length() % 2 == 1;
    return new RewardResult(odd ? 1 : 0, odd, null, Map.of());
  }

  @Test
  void runMeasuresEveryPairOfMixedRewardGroups() {
    List<QaExample> qs =
        List.of(
            QaExample.of("a", "who is the capital", List.of("paris")),
            QaExample.of("b", "the city of france", List.of("paris")));
    try (Policy p = Policy.create(model, PolicyConfig.of(Method.LORA, 4), tok);
        GradientAngleProbe probe =
            GradientAngleProbe.builder()
                .setPolicy(p)
                .setTokenizer(tok)
                .setRetriever(new LeasFixtures.ScriptedRetriever())
                .optTemplate(LeasFixtures.SHORT)
                .optRollout(LeasFixtures.rollout())
                .optReward(GradientAngleProbeTest::oddLength)
                .optConfig(ProbeConfig.defaults().withGroupSize(6).withSeed(3))
                .build()) {
      LeasFixtures.randomizeB(p.adapters(), 2);
      ProbeResult r = probe.run(qs);
      ProbeCounts c = r.counts();
      assertThat(c.queries()).isEqualTo(2);
      assertThat(c.mixedGroups() + c.uniformGroups()).isEqualTo(2);
      assertThat(c.trajectories()).isEqualTo(6 * c.mixedGroups());
      assertThat(r.groups()).containsExactly("layer.0", "layer.1");
      assertThat(r.method()).isEqualTo("LORA");
      for (PairKind k : PairKind.values()) {
        long n = r.pairs().stream().filter(x -> x.kind() == k).count();
        assertThat(r.summaries().get(k).n()).isEqualTo((int) n);
        assertThat(r.histograms().get(k).total()).isEqualTo((int) n);
      }
      long inter = r.pairs().stream().filter(x -> x.kind() == PairKind.INTER_ROLE).count();
      assertThat(inter).isPositive();
      // every trajectory has reasoning tokens; the inter-role pairs are the ones that searched
      assertThat(c.missingReasoning()).isZero();
      assertThat(inter).isEqualTo(c.trajectories() - c.missingTool() - c.zeroGradient());
      // same-role pairs: all pairs of the trajectories with that role, per query
      long reasPairs = r.pairs().stream().filter(x -> x.kind() == PairKind.SAME_REASONING).count();
      assertThat(reasPairs).isEqualTo(c.mixedGroups() * 15L);
      for (AnglePair x : r.pairs()) {
        assertThat(x.degrees()).isBetween(0.0, 180.0);
        assertThat(x.layerDegrees()).hasSize(2);
        if (x.kind() == PairKind.INTER_ROLE) {
          assertThat(x.first()).isEqualTo(x.second());
        } else {
          assertThat(x.first()).isLessThan(x.second());
        }
      }
      for (QueryAngles q : r.queries()) {
        double mean =
            r.pairs().stream()
                .filter(x -> x.query() == q.query() && x.kind() == PairKind.SAME_REASONING)
                .mapToDouble(AnglePair::degrees)
                .average()
                .orElse(Double.NaN);
        assertThat(q.sameReasoning()).isCloseTo(mean, within(1e-9));
      }
      WilcoxonSignedRank.Result w = r.tests().get("inter_role_vs_same_role");
      assertThat(w.pairs())
          .isEqualTo((int) r.queries().stream().filter(q -> !Double.isNaN(q.interRole())).count());
      assertThat(r.layers()).hasSize(2);
      assertThat(r.layers().get(0).interRole().n()).isEqualTo((int) inter);
    }
  }

  @Test
  void nothingToMeasureIsAnErrorNotAnEmptyResult() {
    try (Policy p = Policy.create(model, PolicyConfig.of(Method.LORA, 4), tok);
        GradientAngleProbe probe =
            scripted(p)
                .optTemplate(LeasFixtures.SHORT)
                .optRollout(LeasFixtures.rollout().withMaxTurns(0).withTurnTokens(4, 40))
                .optReward(in -> new RewardResult(0, false, null, Map.of()))
                .optConfig(ProbeConfig.defaults().withGroupSize(2))
                .build()) {
      assertThatThrownBy(() -> probe.run(List.of(QaExample.of("a", "who", List.of("x")))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no query had mixed rewards");
      assertThatThrownBy(() -> probe.run(List.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no queries");
    }
    try (Policy none = Policy.create(model, PolicyConfig.of(Method.NONE, 4), tok)) {
      assertThatThrownBy(
              () ->
                  GradientAngleProbe.builder()
                      .setPolicy(none)
                      .setTokenizer(tok)
                      .setRetriever(new LeasFixtures.ScriptedRetriever())
                      .build())
          .hasMessageContaining("no trainable parameters");
    }
  }
}

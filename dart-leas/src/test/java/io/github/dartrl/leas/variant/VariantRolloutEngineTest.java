package io.github.dartrl.leas.variant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.lora.LoraAdapters;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.leas.LeasFixtures;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VariantRolloutEngineTest {
  @TempDir static Path dir;
  static NDManager root;
  static DecoderModel model;
  static TextTokenizer tok;
  static final List<String> QUESTIONS = List.of("who is the capital", "the city of france");

  @BeforeAll
  static void setUp() {
    LeasFixtures.createTiny(dir, 4);
    root = NDManager.newBaseManager("PyTorch");
    model = HfCheckpoint.load(dir, root);
    tok = TextTokenizer.load(dir);
  }

  @AfterAll
  static void tearDown() {
    tok.close();
    model.close();
    root.close();
  }

  static TokenRouter router() {
    return new TokenRouter(List.of(ToolSpan.search()), tok);
  }

  static VariantRolloutEngine engine(Generator r, Generator t, HybridMode mode) {
    return new VariantRolloutEngine(
        r,
        t,
        mode,
        router(),
        tok,
        new LeasFixtures.ScriptedRetriever(),
        LeasFixtures.SHORT,
        LeasFixtures.rollout());
  }

  static void assertSame(List<Trajectory> a, List<Trajectory> b) {
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).tokens()).as("tokens of row %d", i).containsExactly(a.get(i).tokens());
      assertThat(b.get(i).roles()).containsExactly(a.get(i).roles());
      assertThat(b.get(i).logProbs()).containsExactly(a.get(i).logProbs());
      assertThat(b.get(i).queries()).isEqualTo(a.get(i).queries());
      assertThat(b.get(i).end()).isEqualTo(a.get(i).end());
      assertThat(b.get(i).turns()).isEqualTo(a.get(i).turns());
      assertThat(b.get(i).truncated()).isEqualTo(a.get(i).truncated());
      assertThat(b.get(i).responseText()).isEqualTo(a.get(i).responseText());
    }
  }

  /** One generator = one model: identical to the grpo RolloutEngine, bit for bit. */
  @Test
  void singleGeneratorReproducesTheRolloutEngine() {
    try (Policy lora = Policy.create(model, PolicyConfig.of(Method.LORA, 4), tok)) {
      LeasFixtures.randomizeB(lora.adapters(), 9);
      List<Trajectory> expected =
          new RolloutEngine(
                  lora,
                  tok,
                  new LeasFixtures.ScriptedRetriever(),
                  LeasFixtures.SHORT,
                  LeasFixtures.rollout())
              .rollout(QUESTIONS, 6, 21);
      Generator g = new Generator("Lora", model, 0);
      List<Trajectory> got = engine(g, g, HybridMode.HANDOFF).rollout(QUESTIONS, 6, 21);
      assertSame(expected, got);
      assertThat(got.stream().mapToInt(t -> t.queries().size()).sum())
          .as("the comparison covers searches and observations")
          .isPositive();
    }
    try (Policy none = Policy.create(model, PolicyConfig.of(Method.NONE, 4), tok)) {
      List<Trajectory> expected =
          new RolloutEngine(
                  none,
                  tok,
                  new LeasFixtures.ScriptedRetriever(),
                  LeasFixtures.SHORT,
                  LeasFixtures.rollout())
              .rollout(QUESTIONS, 3, 5);
      Generator base = new Generator("Base", model, -1);
      assertSame(expected, engine(base, base, HybridMode.ROUTED).rollout(QUESTIONS, 3, 5));
    }
  }

  /**
   * HANDOFF: every reasoning token's recorded log-prob is the reasoning model's (a full forward
   * with its adapter on every position), every tool token's the tool model's: two separate models.
   * ROUTED: every token matches the DART-style forward with the adapter switched per position. The
   * two constructions differ on tool tokens, which the docs point out.
   */
  @Test
  void hybridsSampleEachRoleFromItsGenerator() {
    List<LoraConfig> two = List.of(LoraConfig.of("reas", 4), LoraConfig.of("tool", 4));
    try (LoraAdapters stack = LoraAdapters.attach(model, two, 3)) {
      LeasFixtures.randomizeB(stack, 17);
      Generator reas = new Generator("Reas", model, 0);
      Generator tool = new Generator("Tool", model, 1);
      List<Trajectory> handoff = engine(reas, tool, HybridMode.HANDOFF).rollout(QUESTIONS, 8, 3);
      float[][] byReas = LeasFixtures.logProbs(model, handoff, RoleAdapterMap.uniform(0));
      float[][] byTool = LeasFixtures.logProbs(model, handoff, RoleAdapterMap.uniform(1));
      float[][] routed = LeasFixtures.logProbs(model, handoff, RoleAdapterMap.split(0, 1));
      int toolTokens = 0;
      int reasTokens = 0;
      double routedGap = 0;
      for (int i = 0; i < handoff.size(); i++) {
        Trajectory t = handoff.get(i);
        for (int p = t.promptLength(); p < t.tokens().length; p++) {
          int role = t.roles()[p];
          if (role == TokenRole.REASONING.code()) {
            reasTokens++;
            assertThat(t.logProbs()[p]).isCloseTo(byReas[i][p], within(1e-4f));
          } else if (role == TokenRole.TOOL.code()) {
            toolTokens++;
            assertThat(t.logProbs()[p]).isCloseTo(byTool[i][p], within(1e-4f));
            routedGap = Math.max(routedGap, Math.abs(t.logProbs()[p] - routed[i][p]));
          }
        }
      }
      assertThat(reasTokens).isPositive();
      assertThat(toolTokens).as("some rows searched, so the tool model wrote queries").isPositive();
      assertThat(routedGap).as("one shared cache is not two models").isGreaterThan(1e-3);

      List<Trajectory> shared = engine(reas, tool, HybridMode.ROUTED).rollout(QUESTIONS, 8, 3);
      float[][] split = LeasFixtures.logProbs(model, shared, RoleAdapterMap.split(0, 1));
      int sharedTool = 0;
      for (int i = 0; i < shared.size(); i++) {
        Trajectory t = shared.get(i);
        for (int p = t.promptLength(); p < t.tokens().length; p++) {
          if (TokenRole.ofCode(t.roles()[p]).isSampled()) {
            sharedTool += t.roles()[p] == TokenRole.TOOL.code() ? 1 : 0;
            assertThat(t.logProbs()[p]).isCloseTo(split[i][p], within(1e-4f));
          }
        }
      }
      assertThat(sharedTool).isPositive();
      // the base model (adapter -1) can take either side
      Generator base = new Generator("Base", model, -1);
      List<Trajectory> hTool = engine(base, tool, HybridMode.HANDOFF).rollout(QUESTIONS, 4, 8);
      float[][] byBase = LeasFixtures.logProbs(model, hTool, RoleAdapterMap.uniform(-1));
      for (int i = 0; i < hTool.size(); i++) {
        Trajectory t = hTool.get(i);
        for (int p = t.promptLength(); p < t.tokens().length; p++) {
          if (t.roles()[p] == TokenRole.REASONING.code()) {
            assertThat(t.logProbs()[p]).isCloseTo(byBase[i][p], within(1e-4f));
          }
        }
      }
    }
  }

  @Test
  void routedHybridsNeedOneBackbone() throws Exception {
    try (NDManager other = NDManager.newBaseManager("PyTorch");
        DecoderModel second = HfCheckpoint.load(dir, other)) {
      Generator a = new Generator("Reas", model, -1);
      Generator b = new Generator("Tool", second, -1);
      assertThatThrownBy(() -> engine(a, b, HybridMode.ROUTED))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("one backbone");
      // HANDOFF works across backbones; with equal weights it equals the single model
      List<Trajectory> two = engine(a, b, HybridMode.HANDOFF).rollout(QUESTIONS, 2, 4);
      float[][] ref = LeasFixtures.logProbs(model, two, RoleAdapterMap.uniform(-1));
      for (int i = 0; i < two.size(); i++) {
        Trajectory t = two.get(i);
        for (int p = t.promptLength(); p < t.tokens().length; p++) {
          if (TokenRole.ofCode(t.roles()[p]).isSampled()) {
            assertThat(t.logProbs()[p]).isCloseTo(ref[i][p], within(1e-4f));
          }
        }
      }
    }
  }

  @Test
  void variantsRefuseSeveralToolsInsteadOfGivingThemAllToTheToolGenerator() {
    Generator a = new Generator("Reas", model, -1);
    for (HybridMode mode : HybridMode.values()) {
      assertThatThrownBy(
              () ->
                  new VariantRolloutEngine(
                      a,
                      a,
                      mode,
                      new TokenRouter(List.of(ToolSpan.search(), ToolSpan.sql()), tok),
                      tok,
                      new LeasFixtures.ScriptedRetriever(),
                      LeasFixtures.SHORT,
                      LeasFixtures.rollout()))
          .as(mode.name())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("LEAS variants support one tool")
          .hasMessageContaining("2 tool spans");
    }
  }
}

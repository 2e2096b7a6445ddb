package io.github.dartrl.leas.variant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.lora.LoraAdapters;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.leas.LeasFixtures;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hybrids' shared router states close a span the turn left open when the environment answers:
 * the next turn is sampled by the reasoning generator and recorded as REASONING.
 */
class VariantInterruptedSpanTest {
  @TempDir static Path dir;
  static NDManager root;
  static DecoderModel model;
  static TextTokenizer tok;

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

  @Test
  void afterAnInterruptedToolCallTheReasoningGeneratorTakesOver() {
    RolloutConfig config = LeasFixtures.rollout().withTurnTokens(10, 40).withMaxTurns(3);
    List<LoraConfig> two = List.of(LoraConfig.of("reas", 4), LoraConfig.of("tool", 4));
    try (LoraAdapters stack = LoraAdapters.attach(model, two, 3)) {
      LeasFixtures.randomizeB(stack, 17);
      Generator reas = new Generator("Reas", model, 0);
      Generator tool = new Generator("Tool", model, 1);
      int cases = 0;
      for (HybridMode mode : HybridMode.values()) {
        List<Trajectory> ts =
            new VariantRolloutEngine(
                    reas,
                    tool,
                    mode,
                    new TokenRouter(List.of(ToolSpan.search()), tok),
                    tok,
                    new LeasFixtures.ScriptedRetriever(),
                    LeasFixtures.SHORT,
                    config)
                .rollout(List.of("who is the capital", "the city of france"), 16, 5);
        float[][] byReas = LeasFixtures.logProbs(model, ts, RoleAdapterMap.uniform(0));
        for (int i = 0; i < ts.size(); i++) {
          Trajectory t = ts.get(i);
          int[] r = t.roles();
          for (int p = t.promptLength() + 1; p < r.length; p++) {
            boolean afterChunk =
                r[p - 1] == TokenRole.OBSERVATION.code() && r[p] != TokenRole.OBSERVATION.code();
            if (!afterChunk || !turnBeforeLeftSpanOpen(t, p - 1)) {
              continue;
            }
            cases++;
            for (int q = p; q < r.length && r[q] != TokenRole.OBSERVATION.code(); q++) {
              if (tok.decode(Arrays.copyOfRange(t.tokens(), p, q)).contains("<search>")) {
                break;
              }
              assertThat(r[q])
                  .as("%s row %d token %d", mode, i, q)
                  .isEqualTo(TokenRole.REASONING.code());
              if (mode == HybridMode.HANDOFF) { // sampled by the reasoning generator
                assertThat(t.logProbs()[q]).isCloseTo(byReas[i][q], within(1e-4f));
              }
            }
          }
        }
      }
      assertThat(cases).as("turns that ended inside <search>").isPositive();
    }
  }

  /** Whether the turn before the observation ending at {@code last} ended inside a span. */
  private static boolean turnBeforeLeftSpanOpen(Trajectory t, int last) {
    int[] r = t.roles();
    int obs = last;
    while (obs > t.promptLength() && r[obs - 1] == TokenRole.OBSERVATION.code()) {
      obs--;
    }
    int start = obs;
    while (start > t.promptLength() && r[start - 1] != TokenRole.OBSERVATION.code()) {
      start--;
    }
    String turn = tok.decode(Arrays.copyOfRange(t.tokens(), start, obs));
    return turn.lastIndexOf("<search>") > turn.lastIndexOf("</search>");
  }
}

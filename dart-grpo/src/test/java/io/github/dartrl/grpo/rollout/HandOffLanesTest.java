package io.github.dartrl.grpo.rollout;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the engine checks before a hand-off rollout (2-Agent, LEAS hybrids) starts. */
class HandOffLanesTest {
  @TempDir static Path longDir;
  @TempDir static Path shortDir;
  static NDManager root;
  static DecoderModel roomy;
  static DecoderModel cramped;
  static TextTokenizer tok;

  @BeforeAll
  static void setUp() {
    List<String> words = List.of("who", "is", "the", "capital", "of", "paris", "france");
    TinyModels.create(longDir, words, new TinyModels.Size(32, 2, 4, 2, 64, 1024), 4);
    TinyModels.create(shortDir, words, new TinyModels.Size(32, 2, 4, 2, 64, 128), 5);
    root = NDManager.newBaseManager("PyTorch");
    roomy = HfCheckpoint.load(longDir, root);
    cramped = HfCheckpoint.load(shortDir, root);
    tok = TextTokenizer.load(longDir);
  }

  @AfterAll
  static void tearDown() {
    tok.close();
    cramped.close();
    roomy.close();
    root.close();
  }

  static RolloutEngine engine(List<Lane> lanes, List<ToolSpan> routed, RolloutConfig config) {
    return new RolloutEngine(
        lanes,
        new TokenRouter(routed, tok),
        config.searchEnvironment(new RolloutEngineTest.ScriptedRetriever(), tok),
        tok,
        RolloutEngineTest.SHORT,
        config);
  }

  @Test
  void theBudgetIsCheckedAgainstEveryLane() {
    // 3 turns of 24 tokens and 2 observations of 40 fit 1024 positions, not the tool agent's 128
    RolloutConfig config = RolloutEngineTest.config().withMaxTurns(2);
    RolloutEngine e =
        engine(
            List.of(
                new Lane("reasoner", roomy, RoleAdapterMap.uniform(-1)),
                new Lane("tool agent", cramped, RoleAdapterMap.uniform(-1))),
            List.of(ToolSpan.search()),
            config);
    assertThatThrownBy(() -> e.rollout(List.of("who is the capital"), 2, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceeds tool agent's max_position_embeddings 128");
  }

  @Test
  void aHandOffLaneComputesAlikeAtEveryPosition() {
    assertThatThrownBy(
            () ->
                engine(
                    List.of(
                        new Lane("reasoner", roomy, RoleAdapterMap.uniform(-1)),
                        new Lane("tool", roomy, RoleAdapterMap.split(-1, 0))),
                    List.of(ToolSpan.search()),
                    RolloutEngineTest.config()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a hand-off lane computes alike at every position; tool maps");
  }

  @Test
  void theRouterMustRouteEveryToolSpan() {
    assertThatThrownBy(
            () ->
                engine(
                    List.of(new Lane("policy", roomy, RoleAdapterMap.uniform(-1))),
                    List.of(ToolSpan.sql()),
                    RolloutEngineTest.config()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not route the tool span");
  }
}

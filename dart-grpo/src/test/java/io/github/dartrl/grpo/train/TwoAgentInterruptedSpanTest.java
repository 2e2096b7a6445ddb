package io.github.dartrl.grpo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The 2-Agent engine and an unfinished tool call: when the tool agent's segment ends without the
 * closing tag, the environment answers and the next turn is the reasoner's (REASONING), as the
 * router's rule for a single policy says.
 */
class TwoAgentInterruptedSpanTest {

  @Test
  void theTurnAfterAnUnfinishedToolSegmentIsTheReasoners(@TempDir Path dir) {
    TwoAgentTest.createModel(dir);
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel a = HfCheckpoint.load(dir, root);
        DecoderModel b = HfCheckpoint.load(dir, root);
        TextTokenizer tok = TextTokenizer.load(dir)) {
      TwoAgentTest.makeAgentsDiffer(a, b);
      try (Policy reasoner = Policy.create(a, PolicyConfig.of(Method.FULL, 8), tok);
          Policy tool = Policy.create(b, PolicyConfig.of(Method.FULL, 8), tok)) {
        RolloutConfig rc =
            RolloutConfig.searchR1().withMaxTurns(3).withTurnTokens(12, 16).withTopK(1);
        List<Trajectory> ts =
            RolloutEngine.twoAgent(
                    reasoner, tool, tok, new TrainerTest.FixedRetriever(), TrainerTest.SHORT, rc)
                .rollout(List.of("who is the capital", "the city of france"), 16, 5);
        int interrupted = 0;
        for (Trajectory t : ts) {
          int[] r = t.roles();
          for (int p = t.promptLength() + 1; p < r.length; p++) {
            if (r[p - 1] != TokenRole.OBSERVATION.code() || r[p] == TokenRole.OBSERVATION.code()) {
              continue;
            }
            // every turn after the environment spoke starts with the reasoner
            assertThat(r[p]).isEqualTo(TokenRole.REASONING.code());
            int obs = p - 1;
            while (r[obs] == TokenRole.OBSERVATION.code()) {
              obs--;
            }
            int start = obs;
            while (start > t.promptLength() && r[start - 1] != TokenRole.OBSERVATION.code()) {
              start--;
            }
            String turn = tok.decode(Arrays.copyOfRange(t.tokens(), start, obs + 1));
            if (r[obs] == TokenRole.TOOL.code() && !turn.endsWith("</search>")) {
              interrupted++;
            }
          }
        }
        assertThat(interrupted).as("tool segments that ended without </search>").isPositive();
      }
    }
  }
}

package io.github.dartrl.grpo.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.routing.TokenRole;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A turn that ends inside {@code <search>} without {@code </search>} (token limit) gets the
 * corrective message; the next turn's {@code <think>} is reasoning (routed to θr), in the roles
 * recorded while sampling, in the router's batch form over the finished trajectory, and in the
 * training forward, whose log-probs equal the sampled ones.
 */
class InterruptedSpanTest extends LoadedModelBase {
  @TempDir static Path dir;

  @BeforeAll
  static void setUp() {
    RolloutFixtures.createModel(dir);
    load(dir);
  }

  @Test
  void theTurnAfterAnUnfinishedToolCallStartsAsReasoning() {
    RolloutConfig config =
        RolloutConfig.searchR1().withTurnTokens(12, 40).withMaxTurns(3).withSampling(1.0, 1.0);
    long think = tok.encode("<think>")[0];
    try (Policy policy = Policy.create(model, PolicyConfig.dart(), tok)) {
      RolloutEngineTest.randomizeB(policy);
      RolloutEngine engine =
          new RolloutEngine(
              policy,
              tok,
              new RolloutEngineTest.ScriptedRetriever(),
              RolloutEngineTest.SHORT,
              config);
      List<Trajectory> ts = engine.rollout(List.of("who is the capital", "the city"), 16, 3);
      int cases = 0;
      int thinks = 0;
      for (Trajectory t : ts) {
        // the router's batch form over the whole trajectory agrees with the recorded roles
        RolloutEngineTest.checkRoles(policy.router(), t);
        int[] r = t.roles();
        for (int obsEnd : observationEnds(t)) {
          int obsStart = obsEnd;
          while (r[obsStart - 1] == TokenRole.OBSERVATION.code()) {
            obsStart--;
          }
          String turn = tok.decode(sampledRunBefore(t, obsStart));
          if (turn.lastIndexOf("<search>") <= turn.lastIndexOf("</search>")) {
            continue; // the turn did not end inside a span
          }
          cases++;
          // the next turn: reasoning until it opens a span of its own
          String sofar = "";
          for (int p = obsEnd; p < r.length && r[p] != TokenRole.OBSERVATION.code(); p++) {
            if (sofar.contains("<search>")) {
              break;
            }
            assertThat(r[p])
                .as("token %d after an interrupted span", p)
                .isEqualTo(TokenRole.REASONING.code());
            thinks += t.tokens()[p] == think ? 1 : 0;
            sofar = tok.decode(Arrays.copyOfRange(t.tokens(), obsEnd, p + 1));
          }
        }
      }
      assertThat(cases).as("turns that ended inside <search>").isGreaterThanOrEqualTo(3);
      assertThat(thinks).as("<think> tokens right after such a turn").isPositive();
      // generation log-probs = training log-probs on these trajectories
      RolloutFixtures.assertTrainingReproducesLogProbs(policy, ts);
    }
  }

  /** Positions just after each observation chunk that sampled tokens follow. */
  private static List<Integer> observationEnds(Trajectory t) {
    int[] r = t.roles();
    java.util.ArrayList<Integer> out = new java.util.ArrayList<>();
    for (int p = t.promptLength() + 1; p < r.length; p++) {
      if (r[p - 1] == TokenRole.OBSERVATION.code() && r[p] != TokenRole.OBSERVATION.code()) {
        out.add(p);
      }
    }
    return out;
  }

  /** The sampled tokens right before position {@code end} (one turn). */
  private static long[] sampledRunBefore(Trajectory t, int end) {
    int start = end;
    while (start > t.promptLength() && t.roles()[start - 1] != TokenRole.OBSERVATION.code()) {
      start--;
    }
    return Arrays.copyOfRange(t.tokens(), start, end);
  }
}

package io.github.dartrl.examples.tools;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.rollout.Lane;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.RolloutFixtures;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.grpo.tool.Tool;
import io.github.dartrl.grpo.tool.ToolEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's tool, written outside dart-grpo against the public SPI only, runs in the one rollout
 * engine: the router gives its call text the TOOL role, each turn's calls reach it as one batch,
 * its observations follow as OBSERVATION tokens, and a training forward reproduces the log-probs.
 * The code of {@link WordCounter} and of the engine set-up is the example of docs/tools.md.
 */
class ToyToolTest {
  @TempDir Path dir;

  /** Counts the words of each call. */
  static final class WordCounter implements Tool {
    final List<List<String>> batches = new ArrayList<>();
    private final ToolSpan span;

    WordCounter(ToolSpan span) {
      this.span = span;
    }

    @Override
    public String name() {
      return "count";
    }

    @Override
    public ToolSpan span() {
      return span;
    }

    @Override
    public List<String> execute(List<String> calls) {
      batches.add(List.copyOf(calls));
      return calls.stream()
          .map(c -> " city " + (c.isBlank() ? 0 : c.strip().split("\\s+").length) + " ")
          .toList();
    }
  }

  @Test
  void aToolFromOutsideRunsInTheEngine() {
    // the tiny word-level model only writes its own words: they stand in for the tags here
    RolloutFixtures.createModel(dir);
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = HfCheckpoint.load(dir, root);
        TextTokenizer tok = TextTokenizer.load(dir)) {
      WordCounter counter = new WordCounter(new ToolSpan("capital", "france"));
      RolloutConfig config =
          RolloutConfig.searchR1().withTurnTokens(16, 24).withMaxTurns(2).withSampling(1.0, 1.0);
      ToolEnvironment env = config.environment(List.of(counter), tok);
      PolicyConfig dart = PolicyConfig.of(Method.DART, 4).withSpans(env.spans());
      try (Policy policy = Policy.create(model, dart, tok)) {
        RolloutEngine engine =
            new RolloutEngine(
                List.of(Lane.of("policy", policy)),
                policy.router(),
                env,
                tok,
                new PromptTemplate("question : {question}", true),
                config);
        List<Trajectory> ts = engine.rollout(List.of("who is the city", "the paris"), 8, 3);

        assertThat(counter.batches).as("the tool ran").isNotEmpty();
        assertThat(counter.batches.size()).as("one batch per turn at most").isLessThanOrEqualTo(2);
        int calls = 0;
        for (Trajectory t : ts) {
          calls += countObservations(t, tok);
          checkSpanRoles(t, tok);
        }
        assertThat(calls).isEqualTo(counter.batches.stream().mapToInt(List::size).sum());

        RolloutFixtures.assertTrainingReproducesLogProbs(policy, ts);
      }
    }
  }

  /** Observations of the tool in a trajectory: runs of OBSERVATION that start with "city". */
  private static int countObservations(Trajectory t, TextTokenizer tok) {
    int n = 0;
    long city = tok.encode("city")[0];
    for (int p = t.promptLength(); p < t.tokens().length; p++) {
      boolean starts =
          t.roles()[p] == TokenRole.OBSERVATION.code()
              && t.roles()[p - 1] != TokenRole.OBSERVATION.code();
      if (starts && t.tokens()[p] == city) {
        n++;
      }
    }
    return n;
  }

  /** Within each turn, tokens after the opening tag through the closing tag are TOOL. */
  private static void checkSpanRoles(Trajectory t, TextTokenizer tok) {
    long open = tok.encode("capital")[0];
    long close = tok.encode("france")[0];
    boolean inside = false;
    for (int p = t.promptLength(); p < t.tokens().length; p++) {
      int role = t.roles()[p];
      if (role == TokenRole.OBSERVATION.code()) {
        inside = false;
        continue;
      }
      assertThat(role)
          .as("token %d of %s", p, Arrays.toString(t.tokens()))
          .isEqualTo(inside ? TokenRole.TOOL.code() : TokenRole.REASONING.code());
      if (!inside && t.tokens()[p] == open) {
        inside = true;
      } else if (inside && t.tokens()[p] == close) {
        inside = false;
      }
    }
  }
}

package io.github.dartrl.grpo.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.lora.LoraLinear;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import io.github.dartrl.grpo.tool.ObservationFormatter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutEngineTest extends LoadedModelBase {
  @TempDir static Path dir;

  /** Answers every query with two fixed passages and records what it was asked. */
  static final class ScriptedRetriever implements Retriever {
    final List<List<String>> calls = new ArrayList<>();
    boolean fail;

    @Override
    public List<List<Passage>> search(List<String> queries, int topK) {
      if (fail) {
        throw new RetrieverException("scripted retriever is down");
      }
      calls.add(List.copyOf(queries));
      List<List<Passage>> out = new ArrayList<>();
      for (String q : queries) {
        out.add(
            List.of(
                    new Passage("1", "paris", "paris is the capital of france .", 2.0),
                    new Passage("2", "france", "the city is paris .", 1.0))
                .subList(0, Math.min(topK, 2)));
      }
      return out;
    }
  }

  @BeforeAll
  static void setUp() {
    RolloutFixtures.createModel(dir);
    load(dir);
  }

  static RolloutConfig config() {
    return RolloutConfig.searchR1()
        .withTurnTokens(24, 40)
        .withMaxTurns(3)
        .withTopK(2)
        .withSampling(1.0, 1.0);
  }

  static final PromptTemplate SHORT = new PromptTemplate("question : {question}", true);

  @Test
  void rolesObservationsAndLogProbsAreConsistent() {
    try (Policy policy = Policy.create(model, PolicyConfig.dart(), tok)) {
      randomizeB(policy);
      ScriptedRetriever retriever = new ScriptedRetriever();
      RolloutEngine engine = new RolloutEngine(policy, tok, retriever, SHORT, config());
      List<Trajectory> ts =
          engine.rollout(List.of("who is the capital", "the city of france"), 8, 11);
      assertThat(ts).hasSize(16);
      int searched = 0;
      for (Trajectory t : ts) {
        assertThat(t.group()).isEqualTo(t.taskIndex());
        checkRoles(policy.router(), t);
        searched += t.queries().size();
        assertThat(t.turns()).isBetween(1, 4);
        assertThat(t.validActions() + t.invalidActions()).isEqualTo(t.turns());
        if (t.truncated()) {
          assertThat(t.end()).isEqualTo(Trajectory.End.LENGTH);
        }
      }
      assertThat(searched).as("some rows searched").isPositive();
      // every executed query went to the retriever, batched per turn
      assertThat(retriever.calls.stream().mapToInt(List::size).sum()).isEqualTo(searched);
      // each executed search is followed by exactly the separately tokenised observation
      long[] obs =
          new ObservationFormatter(tok, 40)
              .tokens(new ScriptedRetriever().search(List.of("q"), 2).get(0));
      for (Trajectory t : ts) {
        int found = 0;
        for (int i = 0; i + obs.length <= t.tokens().length; i++) {
          if (Arrays.equals(Arrays.copyOfRange(t.tokens(), i, i + obs.length), obs)) {
            found++;
            for (int k = i; k < i + obs.length; k++) {
              assertThat(t.roles()[k]).isEqualTo(TokenRole.OBSERVATION.code());
            }
          }
        }
        assertThat(found).isEqualTo(t.queries().size());
      }
      // a training forward over the trajectories reproduces every recorded log-prob
      RolloutFixtures.assertTrainingReproducesLogProbs(policy, ts);
    }
  }

  /**
   * Answers each query with passages made from that query (title and text name it), so that whose
   * passages a row received is visible in its tokens; records every batch it was asked.
   */
  static final class EchoRetriever implements Retriever {
    final List<List<String>> calls = new ArrayList<>();

    static List<Passage> passagesFor(String query, int topK) {
      return List.of(
              new Passage("a:" + query, "question", "capital of " + query + " is " + query, 2.0),
              new Passage("b:" + query, query, "who is " + query, 1.0))
          .subList(0, Math.min(topK, 2));
    }

    @Override
    public List<List<Passage>> search(List<String> queries, int topK) {
      calls.add(List.copyOf(queries));
      List<List<Passage>> out = new ArrayList<>();
      for (String q : queries) {
        out.add(passagesFor(q, topK));
      }
      return out;
    }
  }

  /**
   * In a batched rollout of many rows, each row's observation after its k-th search holds exactly
   * the passages of its own k-th query (not another row's, not another turn's), in order and marked
   * OBSERVATION. The retriever must have been asked several different queries in one batch, else a
   * mix-up would be invisible.
   */
  @Test
  void eachRowGetsItsOwnQuerysPassages() {
    try (Policy policy = Policy.create(model, PolicyConfig.dart(), tok)) {
      randomizeB(policy);
      EchoRetriever retriever = new EchoRetriever();
      RolloutEngine engine = new RolloutEngine(policy, tok, retriever, SHORT, config());
      List<Trajectory> ts =
          engine.rollout(List.of("who is the capital", "the city of france"), 8, 11);
      assertThat(retriever.calls.stream().anyMatch(c -> c.stream().distinct().count() >= 2))
          .as("a batch with several distinct queries: %s", retriever.calls)
          .isTrue();
      ObservationFormatter format = new ObservationFormatter(tok, 40);
      int checked = 0;
      for (int r = 0; r < ts.size(); r++) {
        Trajectory t = ts.get(r);
        int from = 0;
        for (int k = 0; k < t.queries().size(); k++) {
          String query = t.queries().get(k);
          long[] obs = format.tokens(EchoRetriever.passagesFor(query, 2));
          int at = indexOf(t.tokens(), obs, from);
          assertThat(at)
              .as(
                  "row %d search %d (%s): its own passages follow, after position %d",
                  r, k, query, from)
              .isGreaterThanOrEqualTo(from);
          for (int i = at; i < at + obs.length; i++) {
            assertThat(t.roles()[i]).isEqualTo(TokenRole.OBSERVATION.code());
          }
          from = at + obs.length;
          checked++;
        }
      }
      assertThat(checked).isEqualTo(retriever.calls.stream().mapToInt(List::size).sum());
      assertThat(checked).isGreaterThanOrEqualTo(4);
    }
  }

  static int indexOf(long[] haystack, long[] needle, int from) {
    for (int i = from; i + needle.length <= haystack.length; i++) {
      if (Arrays.equals(Arrays.copyOfRange(haystack, i, i + needle.length), needle)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Sampled runs are routed by the router; given tokens are prompt/observation with NaN log-probs.
   */
  static void checkRoles(TokenRouter router, Trajectory t) {
    TokenRouter.State st = router.newState();
    int i = 0;
    while (i < t.tokens().length) {
      int role = t.roles()[i];
      if (role == TokenRole.PROMPT.code() || role == TokenRole.OBSERVATION.code()) {
        assertThat(t.logProbs()[i]).isNaN();
        assertThat(role == TokenRole.PROMPT.code()).isEqualTo(i < t.promptLength());
        i++;
        if (i == t.tokens().length
            || t.roles()[i] == TokenRole.REASONING.code()
            || t.roles()[i] == TokenRole.TOOL.code()) {
          st.given();
        }
        continue;
      }
      int j = i;
      while (j < t.tokens().length
          && (t.roles()[j] == TokenRole.REASONING.code()
              || t.roles()[j] == TokenRole.TOOL.code())) {
        j++;
      }
      TokenRole[] expected = router.roles(st, Arrays.copyOfRange(t.tokens(), i, j));
      for (int k = i; k < j; k++) {
        assertThat(t.roles()[k]).isEqualTo(expected[k - i].code());
        assertThat(t.logProbs()[k]).isNotNaN();
      }
      i = j;
    }
  }

  static void randomizeB(Policy p) {
    Random rng = new Random(5);
    try (GradMode off = GradMode.disabled()) {
      for (LoraLinear l : p.adapters().layers()) {
        float[] v = new float[(int) l.stackedB().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rng.nextGaussian() * 0.3);
        }
        l.stackedB()
            .set(
                new ai.djl.ndarray.index.NDIndex(":"),
                l.stackedB().getManager().create(v, l.stackedB().getShape()));
      }
    }
  }

  @Test
  void retrieverFailureIsAClearError() {
    try (Policy policy = Policy.create(model, PolicyConfig.dart(), tok)) {
      ScriptedRetriever retriever = new ScriptedRetriever();
      retriever.fail = true;
      RolloutEngine engine = new RolloutEngine(policy, tok, retriever, SHORT, config());
      // with enough rows some row searches in the first turns
      assertThatThrownBy(() -> engine.rollout(List.of("who is the capital"), 24, 3))
          .isInstanceOf(RetrieverException.class)
          .hasMessageContaining("scripted retriever is down");
    }
  }

  @Test
  void budgetBeyondContextIsRejected() {
    try (Policy policy = Policy.create(model, PolicyConfig.dart(), tok)) {
      RolloutEngine engine =
          new RolloutEngine(
              policy, tok, new ScriptedRetriever(), SHORT, config().withTurnTokens(400, 400));
      assertThatThrownBy(() -> engine.rollout(List.of("who"), 2, 1))
          .hasMessageContaining("max_position_embeddings");
    }
  }

  @Test
  void actionParserTakesTheFirstActionAndStripsIt() {
    Action.Parser p = new Action.Parser("<search>", "</search>", "<answer>", "</answer>");
    assertThat(p.parse("think <search> paris </search> more"))
        .isEqualTo(new Action(Action.Kind.SEARCH, "paris"));
    assertThat(p.parse("<answer> x\n y </answer><search>q</search>"))
        .isEqualTo(new Action(Action.Kind.ANSWER, "x\n y"));
    assertThat(p.parse("<search> unclosed").kind()).isEqualTo(Action.Kind.INVALID);
    assertThat(SHORT.apply(" who ")).isEqualTo("question : who?");
  }
}

package io.github.dartrl.examples.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.rollout.Action;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.tool.ObservationFormatter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemonstrationWriterTest {
  @TempDir static Path tmp;
  static World world;
  static TextTokenizer tok;
  static LuceneBm25Retriever retriever;
  static WorldFixture fixture;
  static final PromptTemplate TEMPLATE =
      new PromptTemplate(PromptTexts.INSTRUCTION + " {question}", true);
  static final RolloutConfig ROLLOUT = RolloutConfig.searchR1().withTurnTokens(48, 160);
  static final DemonstrationConfig MIX = new DemonstrationConfig(0.1, 0.2, 0.3, 0.6, 5);
  static List<ScriptedDemonstration> demos;

  @BeforeAll
  static void setUp() {
    world = Worlds.small();
    fixture = WorldFixture.open(world, tmp);
    retriever = fixture.retriever();
    tok = fixture.tokenizer();
    demos = writer(MIX).write(world.questions(Split.TRAIN));
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  static DemonstrationWriter writer(DemonstrationConfig mix) {
    return new DemonstrationWriter(
        tok, retriever, TEMPLATE, ROLLOUT, new TokenRouter(List.of(ToolSpan.search()), tok), mix);
  }

  long id(String token) {
    return tok.tokenId(token).orElseThrow();
  }

  @Test
  void everyTokenHasTheRoleOfTheSearchR1Protocol() {
    long search = id("<search>");
    long searchEnd = id("</search>");
    long info = id("<information>");
    long infoEnd = id("</information>");
    for (ScriptedDemonstration d : demos) {
      long[] t = d.demonstration().tokens();
      int[] roles = d.demonstration().roles();
      long[] prompt = tok.encode(TEMPLATE.apply(d.question().question()));
      assertThat(Arrays.copyOf(t, prompt.length)).isEqualTo(prompt);
      // Independent statement for atomic tags: given text is the prompt and each
      // <information>…</information> block; a sampled token is TOOL iff an unclosed <search>
      // precedes it (so <search> itself is REASONING, the query and </search> are TOOL).
      boolean inInfo = false;
      boolean inSearch = false;
      for (int i = 0; i < t.length; i++) {
        TokenRole expected;
        if (i < prompt.length) {
          expected = TokenRole.PROMPT;
        } else if (inInfo || t[i] == info) {
          expected = TokenRole.OBSERVATION;
          inInfo = t[i] != infoEnd;
        } else {
          expected = inSearch ? TokenRole.TOOL : TokenRole.REASONING;
          inSearch = t[i] == search || (inSearch && t[i] != searchEnd);
        }
        assertThat(TokenRole.ofCode(roles[i]))
            .as("%s token %d (%s)", d.question().id(), i, tok.tokenText(t[i]))
            .isEqualTo(expected);
      }
    }
  }

  @Test
  void observationsAreTheFormatterOutputForTheRetrievedPassages() {
    ObservationFormatter formatter = new ObservationFormatter(tok, ROLLOUT.maxObservationTokens());
    for (ScriptedDemonstration d : demos) {
      List<long[]> runs = runs(d, TokenRole.OBSERVATION);
      assertThat(runs).hasSameSizeAs(d.queries());
      for (int k = 0; k < runs.size(); k++) {
        long[] expected =
            formatter.tokens(retriever.search(List.of(d.queries().get(k)), ROLLOUT.topK()).get(0));
        assertThat(runs.get(k)).as(d.question().id() + " observation " + k).isEqualTo(expected);
      }
    }
  }

  @Test
  void everyDemonstrationEndsWithAnAnswerAndEndOfSequence() {
    long eos = tok.eosTokenIds()[0];
    long unk = id("<unk>");
    Action.Parser parser = new Action.Parser("<search>", "</search>", "<answer>", "</answer>");
    for (ScriptedDemonstration d : demos) {
      long[] t = d.demonstration().tokens();
      assertThat(t[t.length - 1]).isEqualTo(eos);
      assertThat(t[t.length - 2]).isEqualTo(id("</answer>"));
      assertThat(t).doesNotContain(unk);
      List<long[]> sampled = runs(d, TokenRole.REASONING, TokenRole.TOOL);
      Action last = parser.parse(tok.decode(sampled.get(sampled.size() - 1)));
      assertThat(last.kind()).isEqualTo(Action.Kind.ANSWER);
      assertThat(last.content()).isEqualTo(d.answer());
      assertThat(d.correct()).isEqualTo(d.question().goldenAnswers().contains(d.answer()));
    }
  }

  @Test
  void theImperfectionMixIsAsConfigured() {
    DemonstrationMix mix = DemonstrationMix.of(demos);
    for (QuestionKind kind : List.of(QuestionKind.ONE_HOP, QuestionKind.TWO_HOP)) {
      int n = mix.count(kind);
      assertThat(n).isPositive();
      assertThat(mix.count(kind, DemonstrationFlaw.NO_SEARCH)).isEqualTo(Math.round(0.1 * n));
      assertThat(mix.count(kind, DemonstrationFlaw.WRONG_ENTITY)).isEqualTo(Math.round(0.2 * n));
    }
    int twoHop = mix.count(QuestionKind.TWO_HOP);
    assertThat(mix.count(QuestionKind.TWO_HOP, DemonstrationFlaw.SKIPPED_HOP))
        .isEqualTo(Math.round(0.3 * twoHop));
    assertThat(mix.count(QuestionKind.ONE_HOP, DemonstrationFlaw.SKIPPED_HOP)).isZero();
    assertThat(mix.count(QuestionKind.NO_RETRIEVAL, DemonstrationFlaw.NONE))
        .isEqualTo(mix.count(QuestionKind.NO_RETRIEVAL));
    assertThat(mix.total()).isEqualTo(world.questions(Split.TRAIN).size());
    assertThat(mix.correctRate()).isBetween(0.4, 0.95);
  }

  @Test
  void eachFlawIsAHabitOfAFewTemplates() {
    DemonstrationMix mix = DemonstrationMix.of(demos);
    for (QuestionKind kind : List.of(QuestionKind.ONE_HOP, QuestionKind.TWO_HOP)) {
      List<String> templates =
          demos.stream()
              .filter(d -> d.question().kind() == kind)
              .map(d -> d.question().template())
              .distinct()
              .toList();
      for (DemonstrationFlaw flaw : DemonstrationFlaw.values()) {
        if (flaw == DemonstrationFlaw.NONE || mix.count(kind, flaw) == 0) {
          continue;
        }
        List<String> habit = templates.stream().filter(t -> mix.share(t, flaw) > 0).toList();
        assertThat(habit.size()).as(kind + " " + flaw).isLessThan(templates.size());
        int inHabit =
            (int) demos.stream().filter(d -> habit.contains(d.question().template())).count();
        assertThat(mix.count(kind, flaw) / (double) inHabit)
            .as("share of %s %s in its templates %s", kind, flaw, habit)
            .isBetween(0.35, 0.6);
      }
    }
    List<ScriptedDemonstration> spread =
        writer(MIX.withHabitRate(0.05)).write(world.questions(Split.TRAIN));
    DemonstrationMix even = DemonstrationMix.of(spread);
    assertThat(even.count(QuestionKind.TWO_HOP, DemonstrationFlaw.SKIPPED_HOP))
        .isEqualTo(mix.count(QuestionKind.TWO_HOP, DemonstrationFlaw.SKIPPED_HOP));
    assertThat(
            spread.stream()
                .filter(d -> d.flaw() == DemonstrationFlaw.SKIPPED_HOP)
                .map(d -> d.question().template())
                .distinct()
                .count())
        .as("a habit rate below the flaw's rate spreads it over every template")
        .isEqualTo(
            demos.stream()
                .filter(d -> d.question().kind() == QuestionKind.TWO_HOP)
                .map(d -> d.question().template())
                .distinct()
                .count());
  }

  @Test
  void eachFlawShowsInTheTrajectory() {
    for (ScriptedDemonstration d : demos) {
      List<WorldQuestion.Hop> hops = d.question().hops();
      switch (d.flaw()) {
        case NONE -> {
          assertThat(d.queries()).isEqualTo(hops.stream().map(WorldQuestion.Hop::query).toList());
          assertThat(d.correct()).as(d.question().id()).isTrue();
        }
        case NO_SEARCH -> assertThat(d.queries()).isEmpty();
        case SKIPPED_HOP -> assertThat(d.queries()).containsExactly(hops.get(0).query());
        case WRONG_ENTITY -> {
          String q = d.queries().get(0);
          assertThat(hops.get(0).query().split(" ")).contains(q);
          assertThat(q).isNotEqualTo(hops.get(0).query());
        }
      }
    }
  }

  @Test
  void writingIsDeterministicAndAPerfectMixHasNoFlaw() {
    List<ScriptedDemonstration> again = writer(MIX).write(world.questions(Split.TRAIN));
    for (int i = 0; i < demos.size(); i++) {
      assertThat(again.get(i).demonstration().tokens())
          .isEqualTo(demos.get(i).demonstration().tokens());
    }
    List<ScriptedDemonstration> perfect =
        writer(DemonstrationConfig.perfect()).write(world.questions(Split.TRAIN));
    assertThat(perfect).allMatch(d -> d.flaw() == DemonstrationFlaw.NONE && d.correct());
  }

  @Test
  void badRatesAreRejected() {
    assertThatThrownBy(() -> new DemonstrationConfig(-0.1, 0, 0, 1, 1))
        .hasMessageContaining("noSearchRate");
    assertThatThrownBy(() -> new DemonstrationConfig(0, 1.5, 0, 1, 1))
        .hasMessageContaining("wrongEntityRate");
    assertThatThrownBy(() -> new DemonstrationConfig(0, 0, Double.NaN, 1, 1))
        .hasMessageContaining("skipSecondHopRate");
    assertThatThrownBy(() -> new DemonstrationConfig(0.5, 0.4, 0.3, 1, 1))
        .hasMessageContaining("> 1");
    assertThatThrownBy(() -> new DemonstrationConfig(0.1, 0.1, 0.1, 0, 1))
        .hasMessageContaining("habitRate");
  }

  /** The maximal runs of tokens whose role is one of {@code roles}, in order. */
  static List<long[]> runs(ScriptedDemonstration d, TokenRole... roles) {
    List<TokenRole> wanted = List.of(roles);
    long[] t = d.demonstration().tokens();
    int[] r = d.demonstration().roles();
    List<long[]> out = new ArrayList<>();
    int from = -1;
    for (int i = 0; i <= t.length; i++) {
      boolean in = i < t.length && wanted.contains(TokenRole.ofCode(r[i]));
      if (in && from < 0) {
        from = i;
      } else if (!in && from >= 0) {
        out.add(Arrays.copyOfRange(t, from, i));
        from = -1;
      }
    }
    return out;
  }
}

package io.github.dartrl.examples.world;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.TokenRouter;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conflict knob ({@link WorldConfig#aliasIndex()}, {@link WorldAliases}): the index names
 * entities only by aliases, so a search must encode the plain name the question gives, and the
 * demonstrations' reasoning states what it read with the plain names (decodes) — the two roles need
 * the same word pairs in opposite directions; the two mirror flaws (a plain search, an alias
 * answer) give each role a wrong habit on those pairs.
 */
class ConflictWorldTest {
  @TempDir static Path tmp;
  static World plain;
  static World conflict;
  static TextTokenizer tok;
  static LuceneBm25Retriever retriever;
  static WorldFixture fixture;
  static List<ScriptedDemonstration> demos;
  static final PromptTemplate TEMPLATE =
      new PromptTemplate(PromptTexts.INSTRUCTION + " {question}", true);
  static final RolloutConfig ROLLOUT = RolloutConfig.searchR1().withTurnTokens(48, 160);

  @BeforeAll
  static void setUp() {
    plain = Worlds.small();
    conflict = World.generate(WorldConfig.small().withAliasIndex(true));
    fixture = WorldFixture.open(conflict, tmp);
    retriever = fixture.retriever();
    tok = fixture.tokenizer();
    demos = conflictWriter().withAliases(conflict.aliases()).write(conflict.questions(Split.TRAIN));
  }

  /** A writer of the conflict world's flaw mix, without the world's alias table. */
  static DemonstrationWriter conflictWriter() {
    return new DemonstrationWriter(
        tok,
        retriever,
        TEMPLATE,
        ROLLOUT,
        new TokenRouter(List.of(ToolSpan.search()), tok),
        DemonstrationConfig.conflict());
  }

  @AfterAll
  static void tearDown() {
    fixture.close();
  }

  /** The made-up words of every entity name (the lexicon's own words keep their form). */
  static Set<String> nameWords(World w) {
    Set<String> words = new HashSet<>();
    for (Entity e : w.knowledgeBase().entities()) {
      words.addAll(List.of(e.name().split(" ")));
    }
    words.removeAll(Lexicon.reservedWords());
    return words;
  }

  static Set<String> words(String text) {
    return new HashSet<>(List.of(text.split("[^a-z0-9]+")));
  }

  @Test
  void offByDefaultAndTheConflictPresetIsTheDefaultWorldWithTheKnob() {
    assertThat(WorldConfig.defaults().aliasIndex()).isFalse();
    assertThat(WorldConfig.small().aliasIndex()).isFalse();
    assertThat(plain.aliases().active()).isFalse();
    assertThat(WorldConfig.conflict()).isEqualTo(WorldConfig.defaults().withAliasIndex(true));
  }

  @Test
  void theIndexNamesEntitiesOnlyByAliasesAndTheQuestionsOnlyByPlainNames() {
    Set<String> person = nameWords(conflict);
    Set<String> aliases = new HashSet<>(conflict.aliases().table().values());
    assertThat(conflict.aliases().table().keySet()).isEqualTo(person);
    assertThat(aliases).hasSameSizeAs(person).doesNotContainAnyElementsOf(person);
    Set<String> corpusWords = new HashSet<>();
    for (CorpusPassage p : conflict.corpus()) {
      corpusWords.addAll(words(p.contents()));
    }
    assertThat(corpusWords).doesNotContainAnyElementsOf(person).containsAll(aliases);
    // the same questions and answers as the default world; only the searches differ
    for (Split split : Split.values()) {
      List<WorldQuestion> a = plain.questions(split);
      List<WorldQuestion> b = conflict.questions(split);
      assertThat(b).hasSameSizeAs(a);
      for (int i = 0; i < a.size(); i++) {
        assertThat(b.get(i).question()).isEqualTo(a.get(i).question());
        assertThat(b.get(i).goldenAnswers()).isEqualTo(a.get(i).goldenAnswers());
        for (int h = 0; h < a.get(i).hops().size(); h++) {
          assertThat(b.get(i).hops().get(h).query())
              .isEqualTo(conflict.aliases().index(a.get(i).hops().get(h).query()));
          assertThat(words(b.get(i).hops().get(h).query())).doesNotContainAnyElementsOf(person);
        }
        assertThat(words(b.get(i).question())).doesNotContainAnyElementsOf(aliases);
      }
    }
  }

  @Test
  void anEntityIsFoundByTheAliasAndNotByThePlainName() {
    int searched = 0;
    int foundByPlain = 0;
    for (WorldQuestion q : conflict.questions(Split.TEST)) {
      if (q.hops().isEmpty()) {
        continue;
      }
      WorldQuestion.Hop hop = q.hops().get(0);
      String plainQuery = conflict.aliases().plain(hop.query());
      assertThat(plainQuery).as(q.id()).isNotEqualTo(hop.query());
      searched++;
      var byAlias = retriever.search(List.of(hop.query()), 3).get(0);
      assertThat(byAlias).as(q.id()).anyMatch(p -> p.title().equals(hop.query()));
      var byPlain = retriever.search(List.of(plainQuery), 3).get(0);
      if (byPlain.stream().anyMatch(p -> DemonstrationWriter.mentions(p.text(), hop.query()))) {
        // only a lexicon word of the name matched ("mining"): a tie among its namesakes
        assertThat(plainQuery)
            .as(q.id())
            .containsAnyOf(Lexicon.reservedWords().toArray(String[]::new));
        foundByPlain++;
      }
    }
    assertThat(searched).isGreaterThan(10);
    assertThat(foundByPlain).isLessThan(searched / 4);
  }

  @Test
  void toolTokensEncodeAndReasoningTokensDecode() {
    Set<String> person = nameWords(conflict);
    Set<String> aliases = new HashSet<>(conflict.aliases().table().values());
    int checked = 0;
    for (ScriptedDemonstration d : demos) {
      if (d.flaw() != DemonstrationFlaw.NONE || d.question().kind() != QuestionKind.TWO_HOP) {
        continue;
      }
      String tool = text(d, TokenRole.TOOL);
      String reasoning = text(d, TokenRole.REASONING);
      checked++;
      assertThat(words(tool)).as(d.question().id()).doesNotContainAnyElementsOf(person);
      assertThat(words(reasoning)).as(d.question().id()).doesNotContainAnyElementsOf(aliases);
      // the thought states with plain names the entity the next search encodes
      assertThat(words(reasoning)).containsAnyElementsOf(person);
      assertThat(d.correct()).as(d.question().id()).isTrue();
    }
    assertThat(checked).isGreaterThan(20);
  }

  @Test
  void aWrongEntityFlawSearchesThePlainNameAndFindsNothingAboutTheEntity() {
    Set<String> person = nameWords(conflict);
    long plainSearches =
        demos.stream()
            .filter(d -> d.flaw() == DemonstrationFlaw.WRONG_ENTITY)
            .filter(d -> words(d.queries().get(0)).stream().anyMatch(person::contains))
            .count();
    assertThat(plainSearches).isGreaterThan(5);
    assertThat(DemonstrationMix.of(demos).correctRate()).isLessThan(0.75);
  }

  @Test
  void anAliasAnswerFlawStatesAndAnswersTheAliasItRead() {
    Set<String> person = nameWords(conflict);
    Set<String> aliases = new HashSet<>(conflict.aliases().table().values());
    List<ScriptedDemonstration> flawed =
        demos.stream().filter(d -> d.flaw() == DemonstrationFlaw.ALIAS_ANSWER).toList();
    long eligible =
        demos.stream()
            .filter(
                d ->
                    d.question().kind() == QuestionKind.ONE_HOP
                        || d.question().kind() == QuestionKind.TWO_HOP)
            .filter(
                d -> words(d.question().goldenAnswers().get(0)).stream().anyMatch(person::contains))
            .count();
    // the configured share of the eligible questions (rounded per kind)
    assertThat((double) flawed.size())
        .isCloseTo(DemonstrationConfig.conflict().aliasAnswerRate() * eligible, within(2.0));
    for (ScriptedDemonstration d : flawed) {
      String gold = d.question().goldenAnswers().get(0);
      assertThat(d.answer()).as(d.question().id()).isEqualTo(conflict.aliases().index(gold));
      assertThat(d.correct()).isFalse();
      // the tool calls encoded correctly; the last thought quotes the index's form
      assertThat(words(text(d, TokenRole.TOOL))).doesNotContainAnyElementsOf(person);
      assertThat(words(text(d, TokenRole.REASONING))).containsAnyElementsOf(aliases);
    }
    // no other demonstration lets an alias into its reasoning
    for (ScriptedDemonstration d : demos) {
      if (d.flaw() == DemonstrationFlaw.NONE) {
        assertThat(words(text(d, TokenRole.REASONING)))
            .as(d.question().id())
            .doesNotContainAnyElementsOf(aliases);
      }
    }
  }

  @Test
  void theAliasAnswerFlawNeedsAnAliasIndex() {
    List<ScriptedDemonstration> plainDemos =
        conflictWriter().write(conflict.questions(Split.TRAIN));
    assertThat(plainDemos).noneMatch(d -> d.flaw() == DemonstrationFlaw.ALIAS_ANSWER);
    assertThat(DemonstrationConfig.defaults().aliasAnswerRate()).isZero();
  }

  private static String text(ScriptedDemonstration d, TokenRole role) {
    long[] t = d.demonstration().tokens();
    int[] r = d.demonstration().roles();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < t.length; i++) {
      if (r[i] == role.code()) {
        sb.append(tok.tokenText(t[i])).append(' ');
      }
    }
    return sb.toString();
  }
}

package io.github.dartrl.examples.world;

import static io.github.dartrl.examples.world.Worlds.mentions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class QuestionGeneratorTest {

  private final World world = Worlds.small();
  private final KnowledgeBase kb = world.knowledgeBase();

  @Test
  void questionMixFollowsTheConfig() {
    WorldConfig c = world.config();
    for (Split split : Split.values()) {
      List<WorldQuestion> qs = world.questions(split);
      assertThat(qs).hasSize(c.splitCount(c.questions(), split));
      Map<QuestionKind, Long> kinds =
          qs.stream().collect(Collectors.groupingBy(WorldQuestion::kind, Collectors.counting()));
      for (QuestionKind kind : QuestionKind.values()) {
        double share = kinds.getOrDefault(kind, 0L) / (double) qs.size();
        assertThat(share)
            .as("%s %s", split, kind)
            .isCloseTo(c.fraction(kind), within(1.0 / qs.size() + 1e-9));
      }
    }
  }

  @Test
  void defaultSizesMatchTheBudget() {
    World defaults = Worlds.of(WorldConfig.defaults());
    WorldStats s = defaults.stats();
    assertThat(s.questions(Split.TRAIN)).isBetween(2000, 4000);
    assertThat(s.questions(Split.DEV)).isBetween(200, 300);
    assertThat(s.questions(Split.TEST)).isBetween(300, 500);
    assertThat(s.passages()).isBetween(1000, 5000);
    assertThat(s.vocabularySize()).isLessThanOrEqualTo(3000);
    assertThat(s.answerPriorEm().get(Split.TEST))
        .as("guessing by answer frequency")
        .isLessThan(0.1);
  }

  @Test
  void hopsChainFromTheQuestionSubjectThroughTheKnowledgeBase() {
    for (Split split : Split.values()) {
      for (WorldQuestion q : world.questions(split)) {
        assertThat(q.id()).startsWith(split.key() + "_");
        assertThat(q.question()).endsWith(" ?").isEqualTo(q.question().toLowerCase());
        if (q.hops().isEmpty()) {
          continue;
        }
        assertThat(mentions(q.question(), q.hops().get(0).query())).as(q.question()).isTrue();
        String query = q.hops().get(0).query();
        for (WorldQuestion.Hop hop : q.hops()) {
          assertThat(hop.query()).isEqualTo(query);
          assertThat(kb.object(hop.query(), hop.relation()))
              .as(q.question())
              .contains(hop.answer());
          query = hop.answer();
        }
        assertThat(q.goldenAnswers().get(0)).isEqualTo(query);
        assertThat(q.template())
            .isEqualTo(
                q.hops().stream().map(h -> h.relation().key()).collect(Collectors.joining(".")));
      }
    }
  }

  @Test
  void noRetrievalQuestionsAreAnsweredByTheirOwnText() {
    List<String> numbers = Lexicon.NUMBERS;
    Set<String> templates = new HashSet<>();
    for (Split split : Split.values()) {
      for (WorldQuestion q : world.questions(split)) {
        if (q.kind() != QuestionKind.NO_RETRIEVAL) {
          continue;
        }
        templates.add(q.template().replaceAll("\\..*", ""));
        String[] w = q.question().split(" ");
        switch (q.template()) {
          case "plus" ->
              assertThat(numbers.indexOf(q.goldenAnswers().get(0)))
                  .isEqualTo(numbers.indexOf(w[2]) + numbers.indexOf(w[4]));
          case "minus" ->
              assertThat(numbers.indexOf(q.goldenAnswers().get(0)))
                  .isEqualTo(numbers.indexOf(w[2]) - numbers.indexOf(w[4]));
          default -> {
            assertThat(q.template()).startsWith("stated.");
            String statement = q.question().substring(0, q.question().indexOf(" . ") + 2);
            assertThat(mentions(statement, q.goldenAnswers().get(0))).as(q.question()).isTrue();
          }
        }
      }
    }
    assertThat(templates).containsExactlyInAnyOrder("plus", "minus", "stated");
  }

  @Test
  void questionsAreUniqueWithinAndAcrossSplits() {
    Set<String> seen = new HashSet<>();
    for (Split split : Split.values()) {
      for (WorldQuestion q : world.questions(split)) {
        assertThat(seen.add(q.question())).as(q.question()).isTrue();
      }
    }
  }

  @Test
  void everyTemplateIsUsedAndRiversAcceptTheirShortName() {
    Set<String> templates =
        world.questions(Split.TRAIN).stream()
            .map(WorldQuestion::template)
            .collect(Collectors.toSet());
    assertThat(templates)
        .contains(
            "born_in",
            "works_for",
            "birth_year",
            "occupation",
            "spouse",
            "headquartered_in",
            "founded_year",
            "located_in",
            "on_river",
            "born_in.located_in",
            "born_in.on_river",
            "works_for.headquartered_in",
            "works_for.founded_year",
            "spouse.born_in",
            "spouse.works_for",
            "headquartered_in.located_in",
            "located_in.capital");
    WorldQuestion river =
        world.questions(Split.TRAIN).stream()
            .filter(q -> q.template().equals("on_river"))
            .findFirst()
            .orElseThrow();
    String name = river.goldenAnswers().get(0);
    assertThat(river.goldenAnswers()).containsExactly(name, name.replace(" river", ""));
  }
}

package io.github.dartrl.examples.world;

import static io.github.dartrl.examples.world.Worlds.mentions;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CorpusWriterTest {

  private final World world = Worlds.small();
  private final List<CorpusPassage> corpus = world.corpus();

  @Test
  void everyEntityHasItsPassagesTitledByItsName() {
    Map<String, Long> perTitle =
        corpus.stream().collect(Collectors.groupingBy(CorpusPassage::title, Collectors.counting()));
    for (Entity e : world.knowledgeBase().entities()) {
      assertThat(perTitle.get(e.name()))
          .as(e.name())
          .isEqualTo((long) world.config().passagesPerEntity());
    }
    assertThat(corpus).extracting(CorpusPassage::id).doesNotHaveDuplicates();
    assertThat(corpus.get(0).contents()).startsWith("\"" + corpus.get(0).title() + "\"\n");
  }

  @Test
  void passagesHaveTwoToFourSentencesAboutTheirTitle() {
    for (CorpusPassage p : corpus) {
      long sentences = p.text().chars().filter(c -> c == '.').count();
      assertThat(sentences).as(p.text()).isBetween(2L, 4L);
      assertThat(mentions(p.text(), p.title())).as(p.text()).isTrue();
      assertThat(p.text()).as("lower case, spaced").matches("[a-z0-9 ,.]+").doesNotContain("  ");
    }
  }

  @Test
  void everyFactIsStatedInAPassageNamingBothEnds() {
    for (Fact f : world.knowledgeBase().facts()) {
      assertThat(corpus)
          .as("%s", f)
          .anyMatch(p -> mentions(p.text(), f.subject()) && mentions(p.text(), f.object()));
    }
  }

  @Test
  void threePassagesPerEntityStillNeverRepeatAText() {
    WorldConfig three = WorldConfig.small().toBuilder().passagesPerEntity(3).build();
    List<CorpusPassage> passages = World.generate(three).corpus();
    assertThat(passages).hasSize(3 * world.knowledgeBase().entities().size());
    assertThat(passages.stream().map(CorpusPassage::text).distinct().count())
        .isEqualTo(passages.size());
  }

  @Test
  void everyHopAnswerIsInAPassageThatNamesTheHopQuery() {
    int hops = 0;
    for (Split split : Split.values()) {
      for (WorldQuestion q : world.questions(split)) {
        for (WorldQuestion.Hop hop : q.hops()) {
          hops++;
          assertThat(corpus)
              .as("%s: %s", q.id(), hop)
              .anyMatch(p -> mentions(p.text(), hop.query()) && mentions(p.text(), hop.answer()));
        }
        if (!q.hops().isEmpty()) {
          String gold = q.goldenAnswers().get(0);
          String lastQuery = q.hops().get(q.hops().size() - 1).query();
          assertThat(corpus)
              .as("%s: gold %s", q.id(), gold)
              .anyMatch(p -> mentions(p.text(), lastQuery) && mentions(p.text(), gold));
        }
      }
    }
    assertThat(hops).isGreaterThan(world.config().questions());
  }

  @Test
  void differentParaphrasesAreUsed() {
    long bornVariants =
        List.of(" was born in the city of ", " is a native of ").stream()
            .filter(v -> corpus.stream().anyMatch(p -> p.text().contains(v)))
            .count();
    assertThat(bornVariants).isEqualTo(2);
    Map<String, Long> texts =
        corpus.stream().collect(Collectors.groupingBy(CorpusPassage::text, Collectors.counting()));
    assertThat(texts.values()).as("no passage text repeats").allMatch(n -> n == 1);
  }

  @Test
  void noPassageAnswersATwoHopQuestionOnItsOwn() {
    // A passage may name both ends by coincidence (a colleague born in the city where the company
    // is headquartered); what must never happen is a passage naming the subject that also states
    // the second hop's fact, in any paraphrase.
    int checked = 0;
    for (Split split : Split.values()) {
      for (WorldQuestion q : world.questions(split)) {
        if (q.kind() != QuestionKind.TWO_HOP) {
          continue;
        }
        checked++;
        WorldQuestion.Hop first = q.hops().get(0);
        WorldQuestion.Hop second = q.hops().get(1);
        List<String> statements = new ArrayList<>();
        for (int v = 0; v < 3; v++) {
          statements.add(
              CorpusWriter.sentence(second.relation(), v, second.query(), second.answer()));
        }
        assertThat(corpus)
            .as("%s: a passage naming %s also states %s", q.question(), first.query(), second)
            .noneMatch(
                p ->
                    mentions(p.text(), first.query())
                        && statements.stream().anyMatch(st -> p.text().contains(st)));
      }
    }
    assertThat(checked).isGreaterThan(0);
  }

  @Test
  void everyFactIsStatedInOneOfItsParaphrases() {
    // So the statement check above really sees a shortcut if one exists.
    for (Fact f : world.knowledgeBase().facts()) {
      List<String> statements = new ArrayList<>();
      for (int v = 0; v < 3; v++) {
        statements.add(CorpusWriter.sentence(f.relation(), v, f.subject(), f.object()));
      }
      assertThat(corpus)
          .as("%s", f)
          .anyMatch(p -> statements.stream().anyMatch(st -> p.text().contains(st)));
    }
  }

  @Test
  void distractorsShareTheSplitAndNameOtherPeople() {
    Function<String, Split> owner =
        name -> world.knowledgeBase().entity(name).map(Entity::owner).orElse(null);
    long colleagueSentences = 0;
    for (CorpusPassage p : corpus) {
      int at = p.text().indexOf(" works together with ");
      if (at >= 0) {
        colleagueSentences++;
        String rest = p.text().substring(at + " works together with ".length());
        String colleague = rest.substring(0, rest.indexOf(" there ."));
        assertThat(owner.apply(colleague)).as(p.text()).isEqualTo(owner.apply(p.title()));
        assertThat(colleague).isNotEqualTo(p.title());
      }
    }
    assertThat(colleagueSentences).isGreaterThan(world.config().people() / 2);
  }
}

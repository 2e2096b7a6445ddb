package io.github.dartrl.examples.world;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KnowledgeBaseTest {

  private final KnowledgeBase kb = Worlds.small().knowledgeBase();

  @Test
  void namesAreUniqueLowerCaseAndOneOrTwoWords() {
    List<String> names = kb.entities().stream().map(Entity::name).toList();
    assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z]+( [a-z]+)?"));
    WorldConfig c = WorldConfig.small();
    assertThat(kb.counts())
        .containsEntry(EntityType.PERSON, c.people())
        .containsEntry(EntityType.COMPANY, c.companies())
        .containsEntry(EntityType.CITY, c.cities() + c.countries())
        .containsEntry(EntityType.COUNTRY, c.countries())
        .containsEntry(EntityType.RIVER, c.rivers());
  }

  @Test
  void generatedNameWordsAreNeverTemplateWords() {
    Set<String> reserved = Lexicon.reservedWords();
    Set<String> fixedParts = new HashSet<>(Lexicon.CITY_SUFFIXES);
    fixedParts.addAll(Lexicon.COMPANY_KINDS);
    fixedParts.add(Lexicon.RIVER);
    for (Entity e : kb.entities()) {
      for (String word : e.name().split(" ")) {
        if (!fixedParts.contains(word)) {
          assertThat(reserved).as(e.name()).doesNotContain(word);
        }
      }
    }
    assertThat(reserved).contains("born", "where", "capital", "answer", "search", "the", "1967");
  }

  @Test
  void relationsNeverCrossSplits() {
    for (Fact f : kb.facts()) {
      Entity subject = kb.entity(f.subject()).orElseThrow();
      assertThat(subject.type()).isEqualTo(f.relation().subjectType());
      if (f.relation().objectType() == null) {
        continue;
      }
      Entity object = kb.entity(f.object()).orElseThrow();
      assertThat(object.type()).as(f.toString()).isEqualTo(f.relation().objectType());
      if (subject.isBackground()) {
        assertThat(object.isBackground()).as("background points only to background: " + f).isTrue();
      } else if (!object.isBackground()) {
        assertThat(object.owner()).as(f.toString()).isEqualTo(subject.owner());
      }
    }
  }

  @Test
  void everyOwnedEntityHasItsFactsAndMarriagesAreSymmetric() {
    for (Entity p : kb.entities(EntityType.PERSON)) {
      for (Relation r :
          List.of(Relation.BORN_IN, Relation.BIRTH_YEAR, Relation.OCCUPATION, Relation.WORKS_FOR)) {
        assertThat(kb.object(p.name(), r)).as(p.name() + " " + r).isPresent();
      }
      kb.object(p.name(), Relation.SPOUSE)
          .ifPresent(
              q -> {
                assertThat(q).isNotEqualTo(p.name());
                assertThat(kb.object(q, Relation.SPOUSE)).contains(p.name());
              });
      assertThat(
              kb.object(p.name(), Relation.BORN_IN)
                  .flatMap(kb::entity)
                  .orElseThrow()
                  .isBackground())
          .as("nobody is born in a capital")
          .isFalse();
    }
    long married =
        kb.entities(EntityType.PERSON).stream()
            .filter(p -> kb.object(p.name(), Relation.SPOUSE).isPresent())
            .count();
    assertThat(married).isGreaterThan(0);
    for (Entity country : kb.entities(EntityType.COUNTRY)) {
      String capital = kb.object(country.name(), Relation.CAPITAL).orElseThrow();
      assertThat(kb.object(capital, Relation.LOCATED_IN)).contains(country.name());
      assertThat(kb.subjects(Relation.FLOWS_THROUGH, country.name())).isNotEmpty();
    }
  }

  @Test
  void everyWordOfADevOrTestNameAlsoOccursInATrainName() {
    Set<String> trainWords = new HashSet<>();
    for (EntityType t : List.of(EntityType.PERSON, EntityType.CITY, EntityType.COMPANY)) {
      kb.entities(t, Split.TRAIN).forEach(e -> trainWords.addAll(List.of(e.name().split(" "))));
    }
    for (Entity e : kb.entities()) {
      if (e.owner() == Split.DEV || e.owner() == Split.TEST) {
        assertThat(trainWords).as(e.name()).contains(e.name().split(" "));
      }
    }
  }

  @Test
  void generationIsDeterministicAndSeedDependent() {
    WorldConfig c = WorldConfig.small();
    assertThat(KnowledgeBase.generate(c).facts()).isEqualTo(KnowledgeBase.generate(c).facts());
    assertThat(KnowledgeBase.generate(c.withSeed(8)).facts()).isNotEqualTo(kb.facts());
  }
}

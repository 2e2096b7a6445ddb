package io.github.dartrl.examples.world;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The search-then-SQL questions ({@link QuestionKind#SEARCH_SQL}): a search finds an entity in the
 * corpus, and the asked value is in the world's tables only.
 *
 * <ul>
 *   <li>{@code born_in.population}: "what is the population of the city where {s} was born ?" — the
 *       birthplace is in a passage about {s}; the population only in {@code cities};
 *   <li>{@code works_for.employees}: "how many employees does the company that {s} works for have
 *       ?" — the employer is in a passage; the head count only in {@code companies}.
 * </ul>
 *
 * <p>The first hop is a search ({@code query} = the person); the second is the table lookup ({@code
 * query} = the row's name, {@code relation} = the column, a {@link Relation#tableOnly()} relation).
 */
final class SqlQuestions {
  private static final int STAGE = 5;

  /** Two phrasings per template; {s} is the subject's name. */
  static final Map<String, List<String>> PHRASES = new LinkedHashMap<>();

  static {
    PHRASES.put(
        "born_in.population",
        List.of(
            "what is the population of the city where {s} was born ?",
            "how many people live in the birthplace of {s} ?"));
    PHRASES.put(
        "works_for.employees",
        List.of(
            "how many employees does the company that {s} works for have ?",
            "how many people work for the employer of {s} ?"));
  }

  private SqlQuestions() {}

  /**
   * Every candidate question of {@code split}, grouped by template, each group shuffled; empty when
   * the config has no SQL part (no random number is then drawn).
   */
  static Map<String, List<WorldQuestion>> candidates(
      KnowledgeBase kb, WorldTables tables, Split split, WorldConfig config) {
    Map<String, List<WorldQuestion>> byTemplate = new LinkedHashMap<>();
    if (!config.sql()) {
      return byTemplate;
    }
    // One stream per split, so a split's questions do not depend on the others'.
    Random random = Draws.stage(config.seed() * 31 + split.ordinal(), STAGE);
    for (Map.Entry<String, List<String>> t : PHRASES.entrySet()) {
      String[] keys = t.getKey().split("\\.");
      Relation search = Relation.valueOf(keys[0].toUpperCase(java.util.Locale.ROOT));
      Relation column = Relation.valueOf(keys[1].toUpperCase(java.util.Locale.ROOT));
      List<WorldQuestion> group = new ArrayList<>();
      for (Entity subject : kb.entities(search.subjectType(), split)) {
        String found = kb.object(subject.name(), search).orElse(null);
        if (found == null) {
          continue;
        }
        String value = tables.value(found, column).orElseThrow();
        String question = Draws.pick(t.getValue(), random).replace("{s}", subject.name());
        group.add(
            new WorldQuestion(
                "",
                question,
                List.of(value),
                QuestionKind.SEARCH_SQL,
                t.getKey(),
                List.of(
                    new WorldQuestion.Hop(subject.name(), search, found),
                    new WorldQuestion.Hop(found, column, value))));
      }
      Draws.shuffle(group, random);
      byTemplate.put(t.getKey(), group);
    }
    return byTemplate;
  }

  /** The fixed texts of the questions, for the reserved-word set. */
  static List<String> templateTexts() {
    List<String> texts = new ArrayList<>();
    PHRASES.values().forEach(texts::addAll);
    return texts.stream().map(t -> t.replaceAll("\\{[a-z]\\}", " ")).toList();
  }
}

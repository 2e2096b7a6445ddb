package io.github.dartrl.examples.world;

import java.util.List;
import java.util.Objects;

/**
 * One question of the world with its gold answers and the facts that support it.
 *
 * @param id {@code <split>_<index>}, e.g. {@code train_0}
 * @param question lower case, tokens separated by spaces, ending in {@code " ?"}
 * @param goldenAnswers the accepted answers, the canonical one first
 * @param kind one-hop, two-hop or no-retrieval ({@link QuestionKind#dataSource()} is written as
 *     {@code data_source})
 * @param template which template produced it, e.g. {@code born_in}, {@code born_in.located_in},
 *     {@code plus}, {@code stated.works_for}
 * @param hops the searches a scripted demonstration makes, in order: what to search for and the
 *     answer that search should reveal; empty for no-retrieval questions. The last hop's answer is
 *     the first golden answer. A search-then-SQL question's second hop is the table lookup: its
 *     query is the row's name, its relation the column ({@link Relation#tableOnly()}).
 */
public record WorldQuestion(
    String id,
    String question,
    List<String> goldenAnswers,
    QuestionKind kind,
    String template,
    List<Hop> hops) {

  /**
   * One retrieval step.
   *
   * @param query the entity to search for (its full name)
   * @param relation the relation whose object the step looks up
   * @param answer that object: the intermediate (or, for the last hop, the final) answer
   */
  public record Hop(String query, Relation relation, String answer) {

    /** Validates that no component is null. */
    public Hop {
      Objects.requireNonNull(query, "query");
      Objects.requireNonNull(relation, "relation");
      Objects.requireNonNull(answer, "answer");
    }
  }

  /** Validates the components and copies the lists. */
  public WorldQuestion {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(template, "template");
    goldenAnswers = List.copyOf(goldenAnswers);
    hops = List.copyOf(hops);
    if (goldenAnswers.isEmpty()) {
      throw new IllegalArgumentException(id + ": no golden answer");
    }
    int expectedHops =
        switch (kind) {
          case ONE_HOP -> 1;
          case TWO_HOP, SEARCH_SQL -> 2;
          case NO_RETRIEVAL -> 0;
        };
    if (hops.size() != expectedHops) {
      throw new IllegalArgumentException(
          id + ": a " + kind.dataSource() + " question needs " + expectedHops + " hops");
    }
    if (!hops.isEmpty() && !hops.get(hops.size() - 1).answer().equals(goldenAnswers.get(0))) {
      throw new IllegalArgumentException(id + ": last hop's answer is not the first gold answer");
    }
  }

  /** The {@code data_source} field. */
  public String dataSource() {
    return kind.dataSource();
  }

  /** A copy with another id. */
  public WorldQuestion withId(String newId) {
    return new WorldQuestion(newId, question, goldenAnswers, kind, template, hops);
  }
}

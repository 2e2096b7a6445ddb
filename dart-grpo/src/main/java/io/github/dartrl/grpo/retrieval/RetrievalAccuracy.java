package io.github.dartrl.grpo.retrieval;

import io.github.dartrl.grpo.reward.AnswerNormalizer;
import java.util.Collection;
import java.util.List;

/**
 * Retrieval accuracy: whether any retrieved passage contains a gold answer.
 *
 * <p>Passage ({@code title + " " + text}) and answers are normalised with {@link AnswerNormalizer}
 * and an answer counts when it occurs as a run of whole words: {@code "1"} does not hit {@code
 * "1999"}, {@code "paris"} does hit {@code "in paris france"}. Search-R1's {@code
 * is_retrieval_correct} uses a plain substring test, which would count both; this helper is
 * stricter on purpose, because short numeric answers are common in QA sets. Answers that normalise
 * to the empty string (e.g. {@code "the"}) never match.
 */
public final class RetrievalAccuracy {

  private RetrievalAccuracy() {}

  /** Whether any passage contains any gold answer (see the class comment for the matching rule). */
  public static boolean containsAnswer(List<Passage> passages, Collection<String> goldAnswers) {
    List<String> golds =
        goldAnswers.stream().map(AnswerNormalizer::normalize).filter(g -> !g.isEmpty()).toList();
    if (golds.isEmpty()) {
      return false;
    }
    for (Passage p : passages) {
      String text = " " + AnswerNormalizer.normalize(p.title() + " " + p.text()) + " ";
      for (String gold : golds) {
        if (text.contains(" " + gold + " ")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The fraction of queries whose passages contain one of their gold answers.
   *
   * @param results the passages per query, as returned by {@link Retriever#search(List, int)}
   * @param goldAnswers the gold answers per query, same order and length
   * @return the fraction in [0, 1]; 0 for no queries
   */
  public static double hitRate(
      List<List<Passage>> results, List<? extends Collection<String>> goldAnswers) {
    if (results.size() != goldAnswers.size()) {
      throw new IllegalArgumentException(
          results.size() + " result lists but " + goldAnswers.size() + " answer lists");
    }
    if (results.isEmpty()) {
      return 0;
    }
    int hits = 0;
    for (int i = 0; i < results.size(); i++) {
      if (containsAnswer(results.get(i), goldAnswers.get(i))) {
        hits++;
      }
    }
    return (double) hits / results.size();
  }
}

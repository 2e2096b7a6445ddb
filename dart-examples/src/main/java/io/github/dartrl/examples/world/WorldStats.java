package io.github.dartrl.examples.world;

import java.util.Map;

/**
 * Measured sizes of a generated world (all also written to {@code world.json}).
 *
 * @param entities entity counts by type (capitals count as cities)
 * @param facts knowledge-base triples (each marriage counts twice)
 * @param passages corpus passages
 * @param questions questions per split and kind
 * @param vocabularySize distinct word-level tokens (lower-cased {@code \w+|[^\w\s]+} pieces) of
 *     {@link World#vocabularyTexts()}
 * @param meanPassageTokens mean tokens of a passage's {@code contents}, title line included
 * @param maxPassageTokens the longest passage
 * @param maxQuestionTokens the longest question
 * @param answerPriorEm per split, the exact match of answering every question with the most
 *     frequent train answer of its template: what memorising answer frequencies alone can score
 */
public record WorldStats(
    Map<EntityType, Integer> entities,
    int facts,
    int passages,
    Map<Split, Map<QuestionKind, Integer>> questions,
    int vocabularySize,
    double meanPassageTokens,
    int maxPassageTokens,
    int maxQuestionTokens,
    Map<Split, Double> answerPriorEm) {

  /** Copies the maps. */
  public WorldStats {
    entities = Map.copyOf(entities);
    questions = Map.copyOf(questions);
    answerPriorEm = Map.copyOf(answerPriorEm);
  }

  /** The number of questions of {@code split}. */
  public int questions(Split split) {
    return questions.get(split).values().stream().mapToInt(Integer::intValue).sum();
  }
}

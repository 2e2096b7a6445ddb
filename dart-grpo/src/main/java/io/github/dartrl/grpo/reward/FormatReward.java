package io.github.dartrl.grpo.reward;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Search-R1's format-aware EM reward ({@code qa_em_format.compute_score_em}), which pays a little
 * for a well-formed trajectory even when the answer is wrong.
 *
 * <p>With A = an answer was extracted, EM = it matches a gold answer, F = the response follows
 * {@link SearchR1Format} and R = a gold answer occurs in a retrieved block:
 *
 * <table>
 *   <caption>Reward by case (v0.3 values: correct 1, structure 0.2, final format 0.1, retrieval
 *   0)</caption>
 *   <tr><th>A</th><th>EM</th><th>F</th><th>R</th><th>reward</th></tr>
 *   <tr><td>no</td><td>–</td><td>yes</td><td>yes</td><td>structure + retrieval</td></tr>
 *   <tr><td>no</td><td>–</td><td>yes</td><td>no</td><td>structure</td></tr>
 *   <tr><td>no</td><td>–</td><td>no</td><td>–</td><td>0</td></tr>
 *   <tr><td>yes</td><td>1</td><td>yes</td><td>–</td><td>correct</td></tr>
 *   <tr><td>yes</td><td>1</td><td>no</td><td>–</td><td>correct − structure</td></tr>
 *   <tr><td>yes</td><td>0</td><td>yes</td><td>yes</td><td>structure + retrieval</td></tr>
 *   <tr><td>yes</td><td>0</td><td>yes</td><td>no</td><td>structure</td></tr>
 *   <tr><td>yes</td><td>0</td><td>no</td><td>–</td><td>final format</td></tr>
 * </table>
 *
 * <p>Since we score the response alone and extract any single answer block (see {@link
 * AnswerExtractor}), a valid response always has an answer, so the first two rows cannot occur in
 * {@link #score}; they are kept in {@link #reward} so the table stays whole. The retrieval check
 * uses {@link RewardInput#observations()}. Scores are free parameters; {@link #searchR1()} gives
 * Search-R1's v0.3 values ({@code train_grpo_format.sh}).
 *
 * @param correctScore the reward for a correct answer in a valid response
 * @param structureScore the reward for a valid response (also subtracted from a correct answer in
 *     an invalid one)
 * @param finalFormatScore the reward for a wrong answer in an invalid response
 * @param retrievalScore the bonus for a valid response whose retrieved text contains a gold answer
 * @param requireThink see {@link SearchR1Format#isValid}
 */
public record FormatReward(
    double correctScore,
    double structureScore,
    double finalFormatScore,
    double retrievalScore,
    boolean requireThink)
    implements RewardFunction {

  /** Checks that every score is finite. */
  public FormatReward {
    check("correctScore", correctScore);
    check("structureScore", structureScore);
    check("finalFormatScore", finalFormatScore);
    check("retrievalScore", retrievalScore);
  }

  /** Search-R1 v0.3: correct 1.0, structure 0.2, final format 0.1, retrieval 0, think required. */
  public static FormatReward searchR1() {
    return new FormatReward(1.0, 0.2, 0.1, 0.0, true);
  }

  /** A copy that does or does not require {@code <think>} blocks. */
  public FormatReward withRequireThink(boolean require) {
    return new FormatReward(
        correctScore, structureScore, finalFormatScore, retrievalScore, require);
  }

  /**
   * Scores a response by the table above.
   *
   * @param input the response, gold answers and retrieved blocks
   */
  @Override
  public RewardResult score(RewardInput input) {
    String answer = AnswerExtractor.extract(input.response());
    boolean em = answer != null && AnswerMetrics.exactMatch(answer, input.goldAnswers());
    boolean valid = SearchR1Format.isValid(input.response(), requireThink);
    boolean hit = retrievalHit(input);
    Map<String, Double> components = new LinkedHashMap<>();
    components.put(RewardComponents.ANSWER_FOUND, answer != null ? 1.0 : 0.0);
    components.put(RewardComponents.EM, em ? 1.0 : 0.0);
    components.put(RewardComponents.FORMAT_VALID, valid ? 1.0 : 0.0);
    components.put(RewardComponents.RETRIEVAL_HIT, hit ? 1.0 : 0.0);
    return new RewardResult(reward(answer != null, em, valid, hit), em, answer, components);
  }

  /**
   * The table above as a function.
   *
   * @param answerFound whether an answer was extracted
   * @param exactMatch whether it matches a gold answer (ignored without an answer)
   * @param validFormat whether the response follows the grammar
   * @param retrievalHit whether a retrieved block contains a gold answer (used only when valid)
   */
  public double reward(
      boolean answerFound, boolean exactMatch, boolean validFormat, boolean retrievalHit) {
    if (answerFound && exactMatch) {
      return validFormat ? correctScore : correctScore - structureScore;
    }
    if (validFormat) {
      return retrievalHit ? structureScore + retrievalScore : structureScore;
    }
    return answerFound ? finalFormatScore : 0.0;
  }

  private static boolean retrievalHit(RewardInput input) {
    for (String block : input.observations()) {
      if (AnswerMetrics.containsAnyGold(AnswerNormalizer.normalize(block), input.goldAnswers())) {
        return true;
      }
    }
    return false;
  }

  private static void check(String name, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite, got " + value);
    }
  }
}

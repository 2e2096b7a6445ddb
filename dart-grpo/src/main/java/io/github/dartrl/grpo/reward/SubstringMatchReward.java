package io.github.dartrl.grpo.reward;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Substring exact match ("sub-EM", Search-R1's {@code compute_score_subem}): 1 when some normalised
 * gold answer occurs inside the normalised extracted answer, otherwise 0. More lenient than {@link
 * ExactMatchReward} ({@code "Paris, France"} pays for gold {@code "Paris"}), and therefore easier
 * to game with long answers; gold answers that normalise to nothing never match (see {@link
 * AnswerMetrics#substringMatch}).
 */
public record SubstringMatchReward() implements RewardFunction {

  @Override
  public RewardResult score(RewardInput input) {
    String answer = AnswerExtractor.extract(input.response());
    boolean em = answer != null && AnswerMetrics.exactMatch(answer, input.goldAnswers());
    boolean subem = answer != null && AnswerMetrics.substringMatch(answer, input.goldAnswers());
    Map<String, Double> components = new LinkedHashMap<>();
    components.put(RewardComponents.ANSWER_FOUND, answer != null ? 1.0 : 0.0);
    components.put(RewardComponents.EM, em ? 1.0 : 0.0);
    components.put(RewardComponents.SUBEM, subem ? 1.0 : 0.0);
    return new RewardResult(subem ? 1.0 : 0.0, em, answer, components);
  }
}

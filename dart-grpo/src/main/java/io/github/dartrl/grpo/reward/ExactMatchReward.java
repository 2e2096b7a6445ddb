package io.github.dartrl.grpo.reward;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The default outcome reward, Search-R1's {@code compute_score_em} with its defaults: 1 when the
 * answer extracted by {@link AnswerExtractor} equals some gold answer after {@link
 * AnswerNormalizer} normalisation, otherwise 0 (including when there is no answer). This is the
 * reward the DART paper trains with ("reward = EM only").
 */
public record ExactMatchReward() implements RewardFunction {

  @Override
  public RewardResult score(RewardInput input) {
    String answer = AnswerExtractor.extract(input.response());
    boolean em = answer != null && AnswerMetrics.exactMatch(answer, input.goldAnswers());
    Map<String, Double> components = new LinkedHashMap<>();
    components.put(RewardComponents.ANSWER_FOUND, answer != null ? 1.0 : 0.0);
    components.put(RewardComponents.EM, em ? 1.0 : 0.0);
    return new RewardResult(em ? 1.0 : 0.0, em, answer, components);
  }
}

package io.github.dartrl.grpo.reward;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * SQuAD token F1 of the extracted answer, the best over the gold answers ({@link
 * AnswerMetrics#maxF1}); 0 when there is no answer. A denser signal than exact match: partly right
 * answers earn partial credit.
 */
public record F1Reward() implements RewardFunction {

  @Override
  public RewardResult score(RewardInput input) {
    String answer = AnswerExtractor.extract(input.response());
    boolean em = answer != null && AnswerMetrics.exactMatch(answer, input.goldAnswers());
    double f1 = answer == null ? 0.0 : AnswerMetrics.maxF1(answer, input.goldAnswers());
    Map<String, Double> components = new LinkedHashMap<>();
    components.put(RewardComponents.ANSWER_FOUND, answer != null ? 1.0 : 0.0);
    components.put(RewardComponents.EM, em ? 1.0 : 0.0);
    components.put(RewardComponents.F1, f1);
    return new RewardResult(f1, em, answer, components);
  }
}

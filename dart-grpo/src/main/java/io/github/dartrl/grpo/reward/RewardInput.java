package io.github.dartrl.grpo.reward;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link RewardFunction} judges: one sampled trajectory and the gold answers of its
 * question.
 *
 * @param question the question text (for logging and reward functions that need it)
 * @param goldAnswers the accepted answers; at least one, none null
 * @param response the sampled text only, without the prompt: the model's turns, each chunk the
 *     environment inserted between them (passages, corrective message) reduced to an empty {@code
 *     <information></information>} block ({@code io.github.dartrl.grpo.rollout.ResponseText}), so
 *     no word of the environment can be taken for the model's answer. Scoring the response alone is
 *     what makes a single {@code <answer>} block enough (see {@link AnswerExtractor}).
 * @param truncated whether the rollout was cut off (token or turn limit) before the model ended it
 * @param validSearches the number of well-formed search calls the rollout executed
 * @param observations the text of each {@code <information>} block, in order (may be empty)
 */
public record RewardInput(
    String question,
    List<String> goldAnswers,
    String response,
    boolean truncated,
    int validSearches,
    List<String> observations) {

  /** Validates and copies the lists so a result cannot change under the reward function. */
  public RewardInput {
    Objects.requireNonNull(question, "question");
    Objects.requireNonNull(response, "response");
    goldAnswers = List.copyOf(Objects.requireNonNull(goldAnswers, "goldAnswers"));
    observations = List.copyOf(Objects.requireNonNull(observations, "observations"));
    // No gold answer would make every response wrong without saying so: a data bug, not a score.
    if (goldAnswers.isEmpty()) {
      throw new IllegalArgumentException("goldAnswers is empty for question: " + question);
    }
    if (validSearches < 0) {
      throw new IllegalArgumentException("validSearches must be >= 0, got " + validSearches);
    }
  }

  /**
   * A response with no retrieval metadata: not truncated, no searches, no observations.
   *
   * @param question the question
   * @param goldAnswers the accepted answers
   * @param response the sampled text
   */
  public static RewardInput of(String question, List<String> goldAnswers, String response) {
    return new RewardInput(question, goldAnswers, response, false, 0, List.of());
  }
}

package io.github.dartrl.grpo.reward;

/**
 * Scores one sampled trajectory against the gold answers of its question.
 *
 * <p>Implementations are pure functions of the input (no randomness, no I/O) so a reward can be
 * recomputed from a saved trajectory and reproduced in a test. They must be safe to call from
 * several threads at once. Built-in implementations: {@link ExactMatchReward} (the default, the
 * paper's outcome reward), {@link SubstringMatchReward}, {@link F1Reward} and {@link FormatReward};
 * decorators {@link AnswerSpamGuard} and {@link TruncationPolicy}; {@link RewardFunctions#named}
 * builds them from a name.
 */
@FunctionalInterface
public interface RewardFunction {

  /**
   * Scores a trajectory.
   *
   * @param input the sampled response and what it is judged against
   * @return the scalar reward with its diagnostics
   */
  RewardResult score(RewardInput input);
}

/**
 * Outcome rewards for search-augmented QA rollouts, ported from Search-R1 and verl.
 *
 * <p>A {@link io.github.dartrl.grpo.reward.RewardFunction} turns a {@link
 * io.github.dartrl.grpo.reward.RewardInput} (the sampled response, the gold answers, retrieval
 * metadata) into a {@link io.github.dartrl.grpo.reward.RewardResult}. The answer is the last {@code
 * <answer>} block of the response ({@link io.github.dartrl.grpo.reward.AnswerExtractor}); answers
 * are compared after SQuAD normalisation ({@link io.github.dartrl.grpo.reward.AnswerNormalizer},
 * {@link io.github.dartrl.grpo.reward.AnswerMetrics}). The default reward is exact match; {@link
 * io.github.dartrl.grpo.reward.RewardFunctions#named} builds the training stack (truncation policy,
 * answer-spam guard, base reward) from a name.
 */
package io.github.dartrl.grpo.reward;

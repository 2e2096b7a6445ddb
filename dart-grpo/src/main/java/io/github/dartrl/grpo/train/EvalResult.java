package io.github.dartrl.grpo.train;

import java.util.Map;

/**
 * Greedy evaluation on a QA set.
 *
 * @param exactMatch mean EM over all questions
 * @param exactMatchBySource mean EM per {@code data_source}
 * @param countBySource questions per {@code data_source}
 * @param meanReward mean of the configured reward (equals EM for the EM reward)
 * @param meanTurns mean generation turns
 * @param searchRate fraction of questions with at least one executed search
 * @param truncatedRate fraction of trajectories cut by a token budget
 */
public record EvalResult(
    double exactMatch,
    Map<String, Double> exactMatchBySource,
    Map<String, Integer> countBySource,
    double meanReward,
    double meanTurns,
    double searchRate,
    double truncatedRate) {}

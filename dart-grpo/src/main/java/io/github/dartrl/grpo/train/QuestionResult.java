package io.github.dartrl.grpo.train;

import io.github.dartrl.grpo.data.QaExample;

/**
 * How one question of an evaluation went.
 *
 * @param index the question's row in the evaluated set (0-based)
 * @param example the question, its golden answers and data_source
 * @param response the decoded response (sampled text and observations, in order)
 * @param exactMatch whether the extracted answer matched a golden answer
 * @param reward the configured reward of the response
 * @param turns generation turns taken
 * @param searches executed searches
 * @param truncated the response was cut by a token budget
 */
public record QuestionResult(
    int index,
    QaExample example,
    String response,
    boolean exactMatch,
    double reward,
    int turns,
    int searches,
    boolean truncated) {}

package io.github.dartrl.core.generate;

import io.github.dartrl.core.routing.TokenRole;

/**
 * One row's generated segment.
 *
 * @param tokens sampled ids, in order (a stop string may end inside the last one; it is kept)
 * @param logProbs log-probability of each sampled token under {@code softmax(logits / T)} (T = 1
 *     for greedy), before any top-k/top-p truncation: the quantity a training forward recomputes
 * @param roles role of each sampled token (REASONING or TOOL), as the schedule's router saw it
 * @param finishReason why it ended
 * @param stopString the stop string that ended it, or null
 * @param text decoded text of {@code tokens}
 */
public record Generation(
    long[] tokens,
    float[] logProbs,
    TokenRole[] roles,
    FinishReason finishReason,
    String stopString,
    String text) {}

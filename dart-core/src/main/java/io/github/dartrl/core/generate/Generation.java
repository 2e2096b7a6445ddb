package io.github.dartrl.core.generate;

import io.github.dartrl.core.routing.TokenRole;

/**
 * One row's generated segment.
 *
 * @param tokens sampled ids, in order (a stop string may end inside the last one; it is kept)
 * @param logProbs log-probability of each sampled token under {@code softmax(logits / T)} (T = 1
 *     for greedy), before any top-k/top-p truncation: the quantity a training forward recomputes
 * @param roles coarse role of each sampled token (REASONING or TOOL), as the schedule's router saw
 *     it
 * @param roleCodes role code of each sampled token: REASONING's, or the code of the tool whose span
 *     it is in ({@link TokenRole#toolCode}); what a trajectory records
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
    String text,
    int[] roleCodes) {

  /** A generation whose tool tokens all belong to the first tool (codes from the coarse roles). */
  public Generation(
      long[] tokens,
      float[] logProbs,
      TokenRole[] roles,
      FinishReason finishReason,
      String stopString,
      String text) {
    this(
        tokens,
        logProbs,
        roles,
        finishReason,
        stopString,
        text,
        java.util.Arrays.stream(roles).mapToInt(TokenRole::code).toArray());
  }
}

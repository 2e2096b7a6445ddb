package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.generate.FinishReason;
import io.github.dartrl.core.text.Detokenizer;
import java.util.List;
import java.util.Set;

/**
 * The stop rules of {@link io.github.dartrl.core.generate.DecodeSession}, applied by the engine to
 * a turn sampled one token at a time: EOS, then a stop string in the turn's text, then the turn's
 * token limit.
 */
final class TurnStops {
  private final List<String> stops;
  private final Set<Long> eos;
  private final int maxTurnTokens;
  private final int[] checkedChars;

  TurnStops(List<String> stops, Set<Long> eos, int maxTurnTokens, int rows) {
    this.stops = stops;
    this.eos = eos;
    this.maxTurnTokens = maxTurnTokens;
    this.checkedChars = new int[rows];
  }

  /** Why the row's turn ends after its last token, or null if it goes on. */
  FinishReason check(TrajectoryRecorder row, int r, Detokenizer detok) {
    if (eos.contains(row.lastToken())) {
      return FinishReason.EOS;
    }
    String text = detok.decode(row.turnTokens());
    for (String s : stops) {
      if (text.indexOf(s, Math.max(0, checkedChars[r] - s.length() + 1)) >= 0) {
        return FinishReason.STOP;
      }
    }
    checkedChars[r] = text.length();
    return row.length - row.turnStart >= maxTurnTokens ? FinishReason.LENGTH : null;
  }
}

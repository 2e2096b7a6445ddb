package io.github.dartrl.grpo.tool;

import io.github.dartrl.grpo.retrieval.Passage;
import java.util.List;

/**
 * What the environment made of one row's turn.
 *
 * @param kind what happens to the row next
 * @param valid the turn held a complete tool call or an answer
 * @param observation tokens to append (CALLED, CORRECTED), else null
 * @param tool the called tool's name (CALLED), else null
 * @param call the call text (CALLED), else null
 * @param passages the passages a {@link SearchTool} call found, else null
 */
public record TurnOutcome(
    Kind kind,
    boolean valid,
    long[] observation,
    String tool,
    String call,
    List<Passage> passages) {

  /** What happens to the row next. */
  public enum Kind {
    /** It answered: the trajectory ends. */
    ANSWERED,
    /** A tool ran: its observation follows, then the next turn. */
    CALLED,
    /** Neither a call nor an answer: the corrective message follows, then the next turn. */
    CORRECTED,
    /** The final turn ended without an answer (no tool runs in it): the trajectory ends. */
    OUT_OF_TURNS,
    /** The final turn ran out of tokens: the trajectory ends, truncated. */
    CUT
  }

  /** Whether the trajectory ends here. */
  public boolean ends() {
    return kind == Kind.ANSWERED || kind == Kind.OUT_OF_TURNS || kind == Kind.CUT;
  }
}

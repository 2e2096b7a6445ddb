package io.github.dartrl.core.routing;

import io.github.dartrl.core.text.Detokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * The rule-based router of DART (paper v2, Eq. 2): a sampled token is TOOL iff the text sampled
 * before it is inside an unclosed tool-call span, else REASONING. So the opening tag itself is
 * REASONING (the reasoning adapter decides to call the tool), the query and the closing tag are
 * TOOL. With several spans, a token inside span k gets tool k's role code ({@link
 * TokenRole#toolCode}): the adapter of that tool (see {@link RoleAdapterMap}).
 *
 * <p>Routing is decided on decoded text, never on single token ids: {@code <search>} may be one
 * atomic token or several BPE pieces. Text given by the environment (observations, prompts) never
 * opens a span: only sampled text is scanned, and a given chunk ends the text a tag could span.
 *
 * <p><b>A given chunk closes an open span.</b> A turn can end inside a span without its closing tag
 * (token limit, EOS); the environment then answers (the corrective message, since there was no
 * complete call), and the model's next turn starts afresh: its {@code <think>} is reasoning, not
 * the rest of a tool call. So every given chunk resets the state to "outside any span". This is the
 * one rule for every path that computes roles: decoding ({@link RoutedSchedule}, the LEAS variant
 * engine's shared states) and the batch form over scripted demonstrations, so the roles recorded
 * while sampling are the roles a training forward uses.
 *
 * <p>The incremental form ({@link State}, used while decoding) and the batch form ({@link #roles})
 * run the same scan and agree exactly.
 */
public final class TokenRouter {
  private final List<ToolSpan> spans;
  private final Detokenizer detok;

  public TokenRouter(List<ToolSpan> spans, Detokenizer detok) {
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("the router needs at least one tool span");
    }
    this.spans = List.copyOf(spans);
    this.detok = detok;
  }

  public List<ToolSpan> spans() {
    return spans;
  }

  /** A fresh per-sequence state: outside any span, no sampled text yet. */
  public State newState() {
    return new State();
  }

  /**
   * Roles of a run of consecutive sampled tokens, starting from {@code state} (which is advanced).
   */
  public TokenRole[] roles(State state, long[] sampled) {
    TokenRole[] roles = new TokenRole[sampled.length];
    for (int i = 0; i < sampled.length; i++) {
      roles[i] = state.nextRole();
      state.sampled(sampled[i]);
    }
    return roles;
  }

  /** Roles of a response made only of sampled tokens, from a fresh state. */
  public TokenRole[] roles(long[] sampled) {
    return roles(newState(), sampled);
  }

  /**
   * Role codes (tool k's own code inside span k) of a run of consecutive sampled tokens, starting
   * from {@code state} (which is advanced).
   */
  public int[] roleCodes(State state, long[] sampled) {
    int[] codes = new int[sampled.length];
    for (int i = 0; i < sampled.length; i++) {
      codes[i] = state.nextRoleCode();
      state.sampled(sampled[i]);
    }
    return codes;
  }

  /** Role codes of a response made only of sampled tokens, from a fresh state. */
  public int[] roleCodes(long[] sampled) {
    return roleCodes(newState(), sampled);
  }

  /**
   * The open span (index into {@link #spans()}, or -1) after scanning {@code text} from the start
   * state {@code openSpan}.
   */
  int scan(String text, int openSpan) {
    int from = 0;
    int open = openSpan;
    while (true) {
      if (open >= 0) {
        int i = text.indexOf(spans.get(open).close(), from);
        if (i < 0) {
          return open;
        }
        from = i + spans.get(open).close().length();
        open = -1;
      } else {
        int best = -1;
        int bestAt = Integer.MAX_VALUE;
        for (int s = 0; s < spans.size(); s++) {
          int i = text.indexOf(spans.get(s).open(), from);
          if (i >= 0 && i < bestAt) {
            best = s;
            bestAt = i;
          }
        }
        if (best < 0) {
          return -1;
        }
        from = bestAt + spans.get(best).open().length();
        open = best;
      }
    }
  }

  /**
   * Router state of one sequence. The text of the current run of sampled tokens is re-decoded and
   * re-scanned from the run's start on every token: tags may be split across tokens, and a
   * byte-level BPE prefix may decode differently once a multi-byte character completes.
   */
  public final class State {
    private int openAtRunStart = -1;
    private int open = -1;
    private long[] run = new long[16];
    private int runLength;

    private State() {}

    /** Role the next sampled token will have. */
    public TokenRole nextRole() {
      return open >= 0 ? TokenRole.TOOL : TokenRole.REASONING;
    }

    /** Role code the next sampled token will have: REASONING's, or the open tool's own code. */
    public int nextRoleCode() {
      return open >= 0 ? TokenRole.toolCode(open) : TokenRole.REASONING.code();
    }

    /** Index of the open span, or -1. */
    public int openSpan() {
      return open;
    }

    /** Advances past a sampled token. */
    public void sampled(long token) {
      if (runLength == run.length) {
        run = Arrays.copyOf(run, run.length * 2);
      }
      run[runLength++] = token;
      open = scan(detok.decode(Arrays.copyOf(run, runLength)), openAtRunStart);
    }

    /**
     * Given tokens (prompt, observation) end the current run and close any span left open: a tool
     * call the model did not finish before the environment spoke is over (see the class doc).
     */
    public void given() {
      open = -1;
      openAtRunStart = -1;
      runLength = 0;
    }
  }
}

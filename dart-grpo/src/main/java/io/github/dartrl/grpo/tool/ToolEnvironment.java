package io.github.dartrl.grpo.tool;

import io.github.dartrl.core.generate.FinishReason;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment side of the multi-turn protocol (Search-R1's, for any set of tools): it holds the
 * tools, the answer span, the corrective message and the turn limits, and judges each turn.
 *
 * <p>A turn's action is its first complete tool call or answer (Search-R1 {@code
 * postprocess_predictions}, generalised to several tools). An answer ends the trajectory; a call
 * runs the tool (all calls of a tool in one turn in one {@link Tool#execute} batch) and its
 * observation follows; a turn with neither gets the corrective message. After {@link #maxTurns}
 * tool calls comes one final turn in which no tool runs.
 */
public final class ToolEnvironment {
  private final List<Tool> tools;
  private final ToolSpan answer;
  private final int maxTurns;
  private final int maxObservationTokens;
  private final TextTokenizer tokenizer;
  private final long[] invalidMessage;
  private final Pattern action;

  /**
   * @param tools the tools, at least one; names and spans unique
   * @param answer where the final answer is written, e.g. {@code <answer>…</answer>}
   * @param invalidActionMessage observation after a turn with neither a call nor an answer
   * @param maxTurns at most this many tool calls; then one final turn in which no tool runs
   * @param maxObservationTokens tokens of one observation (and of the corrective message)
   * @param tokenizer tokenises observations (each on its own: nothing is re-tokenised)
   */
  public ToolEnvironment(
      List<Tool> tools,
      ToolSpan answer,
      String invalidActionMessage,
      int maxTurns,
      int maxObservationTokens,
      TextTokenizer tokenizer) {
    if (tools.isEmpty()) {
      throw new IllegalArgumentException("an environment needs at least one tool");
    }
    Set<String> names = new HashSet<>();
    Set<String> tags = new HashSet<>(List.of(answer.open(), answer.close()));
    for (Tool t : tools) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("two tools are named '" + t.name() + "'");
      }
      if (!tags.add(t.span().open()) || !tags.add(t.span().close())) {
        throw new IllegalArgumentException(
            "tool '" + t.name() + "' reuses a tag of another tool or of the answer: " + t.span());
      }
    }
    if (maxTurns < 0) {
      throw new IllegalArgumentException("maxTurns must be >= 0, got " + maxTurns);
    }
    if (maxObservationTokens <= 0) {
      throw new IllegalArgumentException(
          "maxObservationTokens must be > 0, got " + maxObservationTokens);
    }
    this.tools = List.copyOf(tools);
    this.answer = Objects.requireNonNull(answer, "answer");
    this.maxTurns = maxTurns;
    this.maxObservationTokens = maxObservationTokens;
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    long[] msg = tokenizer.encode(invalidActionMessage);
    this.invalidMessage =
        msg.length <= maxObservationTokens ? msg : Arrays.copyOf(msg, maxObservationTokens);
    StringBuilder p = new StringBuilder();
    for (ToolSpan s : spansWithAnswer()) {
      p.append(p.isEmpty() ? "" : "|")
          .append('(')
          .append(Pattern.quote(s.open()))
          .append("(.*?)")
          .append(Pattern.quote(s.close()))
          .append(')');
    }
    this.action = Pattern.compile(p.toString(), Pattern.DOTALL);
  }

  public List<Tool> tools() {
    return tools;
  }

  /** The tools' call spans, in tool order (what the router routes on). */
  public List<ToolSpan> spans() {
    return tools.stream().map(Tool::span).toList();
  }

  public ToolSpan answer() {
    return answer;
  }

  public int maxTurns() {
    return maxTurns;
  }

  public int maxObservationTokens() {
    return maxObservationTokens;
  }

  /** Texts that end a turn: every tool's closing tag, then the answer's. */
  public List<String> stopStrings() {
    List<String> stops = new ArrayList<>();
    tools.forEach(t -> stops.add(t.span().close()));
    stops.add(answer.close());
    return stops;
  }

  /** KV slots one observation (or corrective message) append can take, the held token included. */
  public int observationSlots() {
    return Math.max(maxObservationTokens, invalidMessage.length) + 1;
  }

  /**
   * Judges one turn of every active row and runs the tools it calls.
   *
   * @param active rows that took this turn
   * @param turnText the text each active row produced this turn
   * @param how why each active row's turn ended
   * @param finalTurn no tool runs in this turn
   * @return per row its outcome (null for inactive rows)
   */
  public List<TurnOutcome> step(
      boolean[] active, String[] turnText, FinishReason[] how, boolean finalTurn) {
    int rows = active.length;
    List<TurnOutcome> out = new ArrayList<>();
    List<List<Integer>> callRows = new ArrayList<>();
    List<List<String>> calls = new ArrayList<>();
    for (int t = 0; t < tools.size(); t++) {
      callRows.add(new ArrayList<>());
      calls.add(new ArrayList<>());
    }
    for (int r = 0; r < rows; r++) {
      out.add(null);
      if (!active[r]) {
        continue;
      }
      Matcher m = action.matcher(turnText[r]);
      int which = -1; // tool index, tools.size() for the answer
      String content = "";
      if (m.find()) {
        for (int g = 0; g <= tools.size(); g++) {
          if (m.group(2 * g + 1) != null) {
            which = g;
            content = m.group(2 * g + 2).strip();
            break;
          }
        }
      }
      boolean valid = which >= 0;
      if (which == tools.size()) {
        out.set(r, new TurnOutcome(TurnOutcome.Kind.ANSWERED, true, null, null, null, null));
      } else if (finalTurn) {
        boolean cut = how[r] == FinishReason.LENGTH;
        TurnOutcome.Kind k = cut ? TurnOutcome.Kind.CUT : TurnOutcome.Kind.OUT_OF_TURNS;
        out.set(r, new TurnOutcome(k, valid, null, null, null, null));
      } else if (valid) {
        callRows.get(which).add(r);
        calls.get(which).add(content);
      } else {
        out.set(
            r,
            new TurnOutcome(TurnOutcome.Kind.CORRECTED, false, invalidMessage, null, null, null));
      }
    }
    for (int t = 0; t < tools.size(); t++) {
      if (!calls.get(t).isEmpty()) {
        run(tools.get(t), calls.get(t), callRows.get(t), out);
      }
    }
    return out;
  }

  /** Runs one tool's calls of the turn as one batch. */
  private void run(Tool tool, List<String> calls, List<Integer> rows, List<TurnOutcome> out) {
    List<List<Passage>> passages = null;
    List<String> texts;
    if (tool instanceof SearchTool search) {
      // trajectories keep the passages themselves (rewards, retrieval metrics)
      passages = search.retrieve(calls);
      texts = passages.stream().map(ObservationFormatter::text).toList();
    } else {
      texts = tool.execute(calls);
    }
    if (texts.size() != calls.size()) {
      throw new IllegalStateException(
          "tool '"
              + tool.name()
              + "' returned "
              + texts.size()
              + " observations for "
              + calls.size()
              + " calls");
    }
    for (int k = 0; k < calls.size(); k++) {
      long[] ids = tool.observationTokens(texts.get(k), tokenizer, maxObservationTokens);
      out.set(
          rows.get(k),
          new TurnOutcome(
              TurnOutcome.Kind.CALLED,
              true,
              ids,
              tool.name(),
              calls.get(k),
              passages == null ? null : passages.get(k)));
    }
  }

  private List<ToolSpan> spansWithAnswer() {
    List<ToolSpan> all = new ArrayList<>(spans());
    all.add(answer);
    return all;
  }
}

package io.github.dartrl.grpo.tool;

import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * A tool the policy can call by writing its span, e.g. {@code <search> query </search>}: the SPI a
 * user implements to give the agent a new capability, then registers in a {@link ToolEnvironment}.
 *
 * <p>The environment finds the first complete call (or answer) of a turn, collects the calls of all
 * rows to each tool, runs each tool once per turn with all its calls ({@link #execute}), and
 * appends each observation to its row as OBSERVATION tokens (given, never trained). The router
 * gives the call text and the closing tag the tool's role; the opening tag is reasoning.
 *
 * <p>Implementations must be safe to call from several threads at once if the rollouts are.
 */
public interface Tool {

  /** Unique name within an environment, e.g. {@code "search"} (used in logs and in dart.json). */
  String name();

  /** Where a call is written: the text between {@code span().open()} and {@code span().close()}. */
  ToolSpan span();

  /**
   * Runs a batch of calls: one observation text per call, in call order. The text is shown to the
   * model as is (it carries its own framing, e.g. {@code <information>…</information>}); a tool
   * reports a bad call (a syntax error, nothing found) as an observation, and throws only for a
   * failure of the tool itself (its service is down), which the caller's policy handles.
   *
   * @param calls the call texts, stripped of surrounding whitespace, one per calling row
   */
  List<String> execute(List<String> calls);

  /**
   * Token ids of one observation, at most {@code maxTokens} long. The default keeps the head;
   * override to keep a closing tag (as {@link SearchTool} does).
   */
  default long[] observationTokens(String observation, TextTokenizer tokenizer, int maxTokens) {
    long[] ids = tokenizer.encode(observation);
    return ids.length <= maxTokens ? ids : Arrays.copyOf(ids, maxTokens);
  }
}

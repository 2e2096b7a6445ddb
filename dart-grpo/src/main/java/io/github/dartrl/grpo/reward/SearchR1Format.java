package io.github.dartrl.grpo.reward;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Search-R1 response grammar ({@code qa_em_format.is_valid_sequence}), checked on the sampled
 * response:
 *
 * <pre>
 * &lt;think&gt;…&lt;/think&gt; ( &lt;search&gt;…&lt;/search&gt; &lt;information&gt;…&lt;/information&gt; &lt;think&gt;…&lt;/think&gt; )* &lt;answer&gt;…&lt;/answer&gt;
 * </pre>
 *
 * <p>Rules, as in the Python: for each of {@code think}, {@code search}, {@code information} and
 * {@code answer}, the numbers of opening and closing tags are equal; the tags then follow the
 * grammar above with only whitespace (Python's {@code str.isspace}) between blocks and after the
 * answer; anything may appear inside a block except another of these tags, so in Python a retrieved
 * passage that happens to contain {@code <answer>} makes the sequence invalid. Trajectories'
 * responses hold each environment chunk as an empty information block ({@code ResponseText}), so
 * here the passages cannot decide the format either way.
 *
 * <p>Two differences, both because we check the response alone rather than prompt + response:
 * Search-R1 first looks for the chat marker {@code <|im_start|>assistant} and checks what follows
 * it; here there is no marker to require and the whole response is checked. And with {@code
 * requireThink = false}, a {@code <search>} or {@code <answer>} block may also come where a {@code
 * <think>} block was expected (at the start and after an {@code </information>}), for policies
 * trained or prompted to act without writing out their reasoning.
 */
public final class SearchR1Format {

  private static final List<String> TAGS = List.of("think", "search", "information", "answer");
  private static final Pattern TAG = Pattern.compile("</?(?:think|search|information|answer)>");

  private enum State {
    START(false),
    IN_THINK(true),
    AFTER_THINK(false),
    IN_SEARCH(true),
    AFTER_SEARCH(false),
    IN_INFORMATION(true),
    AFTER_INFORMATION(false),
    IN_ANSWER(true),
    END(false);

    /** Inside a block, any text is allowed; between blocks, only whitespace. */
    final boolean insideBlock;

    State(boolean insideBlock) {
      this.insideBlock = insideBlock;
    }
  }

  private SearchR1Format() {}

  /**
   * Whether the response follows the grammar.
   *
   * @param response the sampled text
   * @param requireThink whether a {@code <think>} block must open the response and follow each
   *     {@code </information>} (Search-R1's rule)
   */
  public static boolean isValid(String response, boolean requireThink) {
    return violation(response, requireThink).isEmpty();
  }

  /**
   * The first rule the response breaks, in words, or empty when it is valid.
   *
   * @param response the sampled text
   * @param requireThink see {@link #isValid}
   */
  public static Optional<String> violation(String response, boolean requireThink) {
    Objects.requireNonNull(response, "response");
    for (String tag : TAGS) {
      int opening = count(response, "<" + tag + ">");
      int closing = count(response, "</" + tag + ">");
      if (opening != closing) {
        return Optional.of(
            "mismatch in "
                + tag
                + " tags: "
                + opening
                + " opening vs "
                + closing
                + " closing tags");
      }
    }
    State state = State.START;
    Matcher m = TAG.matcher(response);
    int textStart = 0;
    while (m.find()) {
      Optional<String> bad = checkText(response.substring(textStart, m.start()), state);
      if (bad.isPresent()) {
        return bad;
      }
      State next = transition(state, m.group(), requireThink);
      if (next == null) {
        return Optional.of("unexpected tag " + m.group() + " in state " + name(state));
      }
      state = next;
      textStart = m.end();
    }
    Optional<String> bad = checkText(response.substring(textStart), state);
    if (bad.isPresent()) {
      return bad;
    }
    if (state != State.END) {
      return Optional.of("incomplete sequence, ended in state " + name(state));
    }
    return Optional.empty();
  }

  private static Optional<String> checkText(String text, State state) {
    if (state.insideBlock || PythonText.isBlank(text)) {
      return Optional.empty();
    }
    String shown = PythonText.strip(text);
    if (shown.length() > 40) {
      shown = shown.substring(0, 40) + "…";
    }
    return Optional.of("unexpected text '" + shown + "' between tags (state " + name(state) + ")");
  }

  private static State transition(State state, String tag, boolean requireThink) {
    // Where a <think> may start, a tool call or the answer may start too when think is optional.
    boolean thinkSlot = state == State.START || state == State.AFTER_INFORMATION;
    boolean actionSlot = state == State.AFTER_THINK || (!requireThink && thinkSlot);
    return switch (tag) {
      case "<think>" -> thinkSlot ? State.IN_THINK : null;
      case "</think>" -> state == State.IN_THINK ? State.AFTER_THINK : null;
      case "<search>" -> actionSlot ? State.IN_SEARCH : null;
      case "</search>" -> state == State.IN_SEARCH ? State.AFTER_SEARCH : null;
      case "<information>" -> state == State.AFTER_SEARCH ? State.IN_INFORMATION : null;
      case "</information>" -> state == State.IN_INFORMATION ? State.AFTER_INFORMATION : null;
      case "<answer>" -> actionSlot ? State.IN_ANSWER : null;
      case "</answer>" -> state == State.IN_ANSWER ? State.END : null;
      default -> throw new IllegalStateException("pattern matched an unknown tag " + tag);
    };
  }

  private static String name(State state) {
    return state.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static int count(String text, String tag) {
    int n = 0;
    for (int i = text.indexOf(tag); i >= 0; i = text.indexOf(tag, i + tag.length())) {
      n++;
    }
    return n;
  }
}

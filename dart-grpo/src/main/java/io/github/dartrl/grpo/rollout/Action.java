package io.github.dartrl.grpo.rollout;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The action a turn's text ends with (Search-R1 {@code postprocess_predictions}): the first {@code
 * <search>q</search>} or {@code <answer>a</answer>} in the turn, content stripped; otherwise
 * invalid.
 *
 * @param kind SEARCH, ANSWER or INVALID
 * @param content query or answer text (empty when invalid)
 */
public record Action(Kind kind, String content) {
  public enum Kind {
    SEARCH,
    ANSWER,
    INVALID
  }

  /** Parses turns with the given tags. */
  public static final class Parser {
    private final Pattern pattern;

    public Parser(String searchOpen, String searchClose, String answerOpen, String answerClose) {
      this.pattern =
          Pattern.compile(
              "("
                  + Pattern.quote(searchOpen)
                  + "(.*?)"
                  + Pattern.quote(searchClose)
                  + ")|("
                  + Pattern.quote(answerOpen)
                  + "(.*?)"
                  + Pattern.quote(answerClose)
                  + ")",
              Pattern.DOTALL);
    }

    public Action parse(String turnText) {
      Matcher m = pattern.matcher(turnText);
      if (!m.find()) {
        return new Action(Kind.INVALID, "");
      }
      return m.group(1) != null
          ? new Action(Kind.SEARCH, m.group(2).strip())
          : new Action(Kind.ANSWER, m.group(4).strip());
    }
  }
}

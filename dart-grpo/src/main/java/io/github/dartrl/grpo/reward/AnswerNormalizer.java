package io.github.dartrl.grpo.reward;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * SQuAD-style answer normalisation, as used by Search-R1's exact-match reward ({@code
 * qa_em.normalize_answer}) and its retrieval check.
 *
 * <p>The steps run in Search-R1's order: lower-case; delete every ASCII punctuation character
 * (Python's {@code string.punctuation}); replace the articles {@code a}, {@code an}, {@code the} as
 * whole words by a space; collapse runs of whitespace into single spaces and trim. Because
 * punctuation goes first, {@code "the-end"} becomes {@code "theend"} and keeps its article, exactly
 * as in the Python code; non-ASCII punctuation (dashes, guillemets) is kept, also as in Python.
 */
public final class AnswerNormalizer {

  /** Python's {@code string.punctuation}: the 32 ASCII punctuation characters. */
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

  // UNICODE_CHARACTER_CLASS makes \b follow Unicode word characters, like Python 3's re on str.
  private static final Pattern ARTICLES =
      Pattern.compile("\\b(a|an|the)\\b", Pattern.UNICODE_CHARACTER_CLASS);

  private AnswerNormalizer() {}

  /**
   * Normalises an answer or a passage for comparison.
   *
   * @param text any text, not null
   * @return the normalised text; empty if nothing but punctuation, articles and spaces remained
   */
  public static String normalize(String text) {
    Objects.requireNonNull(text, "text");
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder noPunct = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      if (PUNCTUATION.indexOf(c) < 0) {
        noPunct.append(c);
      }
    }
    String noArticles = ARTICLES.matcher(noPunct).replaceAll(" ");
    return collapseWhitespace(noArticles);
  }

  /**
   * Whether two answers are equal after normalisation (Search-R1's {@code em_check} for one gold).
   */
  public static boolean exactMatch(String prediction, String gold) {
    return normalize(prediction).equals(normalize(gold));
  }

  /** Python's {@code " ".join(s.split())}: splits on Unicode whitespace, no empty pieces. */
  private static String collapseWhitespace(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean pendingSpace = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isPythonSpace(c)) {
        pendingSpace = out.length() > 0;
      } else {
        if (pendingSpace) {
          out.append(' ');
          pendingSpace = false;
        }
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Python's {@code str.isspace()}: Java's {@code isWhitespace} leaves out the no-break spaces
   * (U+00A0, U+2007, U+202F) and NEL (U+0085), which Python counts as whitespace.
   */
  private static boolean isPythonSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }
}

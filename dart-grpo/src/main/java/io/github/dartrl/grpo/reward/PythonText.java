package io.github.dartrl.grpo.reward;

/**
 * Python's notion of whitespace, so {@code str.strip()} and "only whitespace between tags" behave
 * as in the Search-R1 code these rewards port (Java's {@code String.strip()} keeps no-break spaces
 * and NEL, which Python strips).
 */
final class PythonText {

  private PythonText() {}

  /** Python's {@code str.isspace()} for one character. */
  static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
  }

  /** Python's {@code s.strip()}. */
  static String strip(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return s.substring(start, end);
  }

  /** Python's {@code not s.strip()}: empty or whitespace only. */
  static boolean isBlank(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      if (!isSpace(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}

package io.github.dartrl.grpo.retrieval;

import java.util.Objects;

/**
 * One retrieved passage.
 *
 * <p>Search-R1 corpora store a passage as one string, {@code contents = "\"Title\"\ntext"}: the
 * first line is the title in double quotes, the rest is the text. {@link #fromContents} splits that
 * form and {@link #contents()} rebuilds it, so passages survive a round trip through the wire
 * format.
 *
 * @param id the corpus id; empty when the source did not give one (Search-R1's BM25 server omits
 *     it)
 * @param title the title, without surrounding quotes; may be empty
 * @param text the passage text after the title line; may be empty
 * @param score the retrieval score (higher is better); {@link Double#NaN} when the source did not
 *     give one
 */
public record Passage(String id, String title, String text, double score) {

  /** Validates that no component is null. */
  public Passage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(text, "text");
  }

  /**
   * Splits a Search-R1 {@code contents} string: title = first line with surrounding double quotes
   * stripped, text = everything after the first newline (empty if there is none).
   */
  public static Passage fromContents(String id, String contents, double score) {
    Objects.requireNonNull(contents, "contents");
    int newline = contents.indexOf('\n');
    String firstLine = newline < 0 ? contents : contents.substring(0, newline);
    String text = newline < 0 ? "" : contents.substring(newline + 1);
    return new Passage(id, stripQuotes(firstLine), text, score);
  }

  /** The Search-R1 {@code contents} form, {@code "\"" + title + "\"\n" + text}. */
  public String contents() {
    return "\"" + title + "\"\n" + text;
  }

  /** Whether the source reported a score. */
  public boolean hasScore() {
    return !Double.isNaN(score);
  }

  /** The same passage with another score. */
  public Passage withScore(double newScore) {
    return new Passage(id, title, text, newScore);
  }

  /** Python's {@code str.strip('"')}, which is what Search-R1 applies to the title line. */
  private static String stripQuotes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '"') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '"') {
      end--;
    }
    return s.substring(start, end);
  }
}

package io.github.dartrl.core.routing;

/**
 * A tool-call span: the text between {@code open} and {@code close} is written by the tool adapter.
 * Matched on decoded text, so it works whether the tags are split into several BPE pieces or are
 * atomic added tokens.
 *
 * @param open opening tag, e.g. {@code <search>}
 * @param close closing tag, e.g. {@code </search>}
 */
public record ToolSpan(String open, String close) {

  public ToolSpan {
    if (open == null || open.isEmpty() || close == null || close.isEmpty()) {
      throw new IllegalArgumentException(
          "tool span tags must be non-empty: open=" + open + " close=" + close);
    }
    if (open.equals(close)) {
      throw new IllegalArgumentException("tool span open and close tags must differ: " + open);
    }
    if (open.contains(close) || close.contains(open)) {
      throw new IllegalArgumentException(
          "tool span tags must not contain each other: " + open + " / " + close);
    }
  }

  /** Search-R1's {@code <search>…</search>}. */
  public static ToolSpan search() {
    return new ToolSpan("<search>", "</search>");
  }

  /** NL2SQL's {@code <sql>…</sql>}. */
  public static ToolSpan sql() {
    return new ToolSpan("<sql>", "</sql>");
  }
}

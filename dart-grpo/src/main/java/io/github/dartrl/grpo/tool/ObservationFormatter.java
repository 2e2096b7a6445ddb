package io.github.dartrl.grpo.tool;

import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Passage;
import java.util.Arrays;
import java.util.List;

/**
 * Formats retrieved passages as Search-R1 does ({@code _passages2string}) and tokenises the
 * observation on its own, cut to a token limit that always keeps the closing tag:
 *
 * <pre>
 * \n\n&lt;information&gt;Doc 1(Title: "t1") text1
 * Doc 2(Title: "t2") text2&lt;/information&gt;\n\n
 * </pre>
 *
 * <p>Search-R1 prints the first line of {@code contents} as the title, so the quotes of the corpus
 * form {@code "\"Title\"\ntext"} stay: {@link Passage#title()} has them stripped, and they are put
 * back here (the title line of {@link Passage#contents()}).
 */
public final class ObservationFormatter {
  private static final String OPEN = "\n\n<information>";
  private static final String CLOSE = "</information>\n\n";
  private final TextTokenizer tokenizer;
  private final int maxTokens;
  private final long[] closeIds;

  public ObservationFormatter(TextTokenizer tokenizer, int maxTokens) {
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
    this.closeIds = tokenizer.encode(CLOSE);
    if (closeIds.length >= maxTokens) {
      throw new IllegalArgumentException(
          "observation limit " + maxTokens + " cannot hold the closing tag");
    }
  }

  /** The observation text for one query's passages. */
  public static String text(List<Passage> passages) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < passages.size(); i++) {
      Passage p = passages.get(i);
      body.append("Doc ")
          .append(i + 1)
          .append("(Title: \"")
          .append(p.title())
          .append("\") ")
          .append(p.text())
          .append('\n');
    }
    return OPEN + body.toString().strip() + CLOSE;
  }

  /** Token ids of the observation for {@code passages}, at most the limit. */
  public long[] tokens(List<Passage> passages) {
    return cut(text(passages));
  }

  /** Token ids of an arbitrary environment message, cut to the limit. */
  public long[] message(String text) {
    long[] ids = tokenizer.encode(text);
    return ids.length <= maxTokens ? ids : Arrays.copyOf(ids, maxTokens);
  }

  /**
   * Token ids of an observation text made by {@link #text}, cut to the limit (closing tag kept).
   */
  public long[] tokens(String observation) {
    return cut(observation);
  }

  private long[] cut(String observation) {
    long[] ids = tokenizer.encode(observation);
    if (ids.length <= maxTokens) {
      return ids;
    }
    long[] head = tokenizer.encode(observation.substring(0, observation.length() - CLOSE.length()));
    long[] out = Arrays.copyOf(head, maxTokens);
    System.arraycopy(closeIds, 0, out, maxTokens - closeIds.length, closeIds.length);
    return out;
  }
}

package io.github.dartrl.grpo.reward;

import java.util.Objects;

/**
 * Finds the final answer in a sampled response and counts answer tags.
 *
 * <p>The answer is the content of the <em>last</em> {@code <answer>…</answer>} block, with
 * surrounding whitespace stripped. Blocks are matched the way Python's {@code
 * re.finditer(r"<answer>(.*?)</answer>", s, re.DOTALL)} matches them: scanning left to right, each
 * block runs from an opening tag to the nearest closing tag after it, and the next block starts
 * after that closing tag. Consequences, all as in Python: content may span lines; an opening tag
 * inside a block is part of its content ({@code <answer>a <answer>b</answer>} gives {@code "a
 * <answer>b"}); an opening tag never closed is ignored; text after the last block does not matter.
 *
 * <p><b>One block is enough.</b> Search-R1's {@code qa_em.extract_solution} returns nothing unless
 * it finds at least <em>two</em> blocks, because it scores the decoded <em>prompt + response</em>,
 * and the prompt's instructions already contain the example {@code <answer> Beijing </answer>}
 * (maintainer's explanation, Search-R1 issue #79): one block there means the model gave none. We
 * score the response alone (see {@link RewardInput#response()}), so a single block is the model's
 * answer, which is the rule of verl's port ({@code search_r1_like_qa_em.extract_solution}, at least
 * one match). Applying the "two blocks" rule to a response would reject every well-formed answer.
 */
public final class AnswerExtractor {

  /** The opening answer tag. */
  public static final String OPEN = "<answer>";

  /** The closing answer tag. */
  public static final String CLOSE = "</answer>";

  private AnswerExtractor() {}

  /**
   * The stripped content of the last complete answer block.
   *
   * @param response the sampled text
   * @return the answer (possibly empty, for {@code <answer> </answer>}), or null when the response
   *     has no complete answer block
   */
  public static String extract(String response) {
    Objects.requireNonNull(response, "response");
    String last = null;
    int from = 0;
    while (true) {
      int open = response.indexOf(OPEN, from);
      if (open < 0) {
        break;
      }
      int contentStart = open + OPEN.length();
      int close = response.indexOf(CLOSE, contentStart);
      if (close < 0) {
        // No closing tag after this opening tag means none after any later one either.
        break;
      }
      last = response.substring(contentStart, close);
      from = close + CLOSE.length();
    }
    return last == null ? null : PythonText.strip(last);
  }

  /**
   * The number of opening {@code <answer>} tags (non-overlapping occurrences, like Python's {@code
   * str.count}).
   */
  public static int countOpenTags(String response) {
    return count(response, OPEN);
  }

  /** The number of closing {@code </answer>} tags. */
  public static int countCloseTags(String response) {
    return count(response, CLOSE);
  }

  private static int count(String text, String tag) {
    Objects.requireNonNull(text, "response");
    int n = 0;
    for (int i = text.indexOf(tag); i >= 0; i = text.indexOf(tag, i + tag.length())) {
      n++;
    }
    return n;
  }
}

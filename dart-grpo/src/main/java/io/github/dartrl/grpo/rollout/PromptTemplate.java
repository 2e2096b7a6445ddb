package io.github.dartrl.grpo.rollout;

/**
 * Turns a question into the prompt text. The default is Search-R1's base template (its wording
 * matters for reproducing the paper); {@link #chatMl()} wraps the same instruction as a Qwen ChatML
 * user turn for instruct models.
 *
 * @param template text with one {@code {question}} placeholder
 * @param endQuestionWithMark append "?" to a question that does not end with one (Search-R1 does)
 */
public record PromptTemplate(String template, boolean endQuestionWithMark) {

  /** Search-R1's instruction ({@code make_prefix}, template_type base). */
  public static final String SEARCH_R1_INSTRUCTION =
      "Answer the given question. You must conduct reasoning inside <think> and </think> first every"
          + " time you get new information. After reasoning, if you find you lack some knowledge, you"
          + " can call a search engine by <search> query </search> and it will return the top searched"
          + " results between <information> and </information>. You can search as many times as your"
          + " want. If you find no further external knowledge needed, you can directly provide the"
          + " answer inside <answer> and </answer>, without detailed illustrations. For example,"
          + " <answer> Beijing </answer>. Question: {question}\n";

  public PromptTemplate {
    if (template == null || !template.contains("{question}")) {
      throw new IllegalArgumentException("prompt template needs a {question} placeholder");
    }
  }

  /** Search-R1's base template, raw (no chat markup). */
  public static PromptTemplate searchR1() {
    return new PromptTemplate(SEARCH_R1_INSTRUCTION, true);
  }

  /** Search-R1's instruction as a ChatML user turn followed by the assistant header. */
  public static PromptTemplate chatMl() {
    return new PromptTemplate(
        "<|im_start|>user\n" + SEARCH_R1_INSTRUCTION + "<|im_end|>\n<|im_start|>assistant\n", true);
  }

  /** The prompt for one question. */
  public String apply(String question) {
    String q = question.strip();
    if (endQuestionWithMark && !q.endsWith("?")) {
      q = q + "?";
    }
    return template.replace("{question}", q);
  }
}

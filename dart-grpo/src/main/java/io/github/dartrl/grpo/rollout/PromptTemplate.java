package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.text.ChatTemplate;
import java.util.List;
import java.util.Map;

/**
 * Turns a question into the prompt text. The default is Search-R1's base template (its wording
 * matters for reproducing the paper); {@link #chat(ChatTemplate)} wraps the same instruction as the
 * user turn of an instruct model's own chat template, and {@link #chatMl()} as a hand-written Qwen
 * ChatML turn (for tokenizers without a template).
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

  /**
   * Search-R1's instruction as the user turn of {@code chat} (the model's {@code chat_template}),
   * followed by the generation prompt, with whatever default system prompt the template adds — what
   * transformers' {@code apply_chat_template([{"role": "user", "content": instruction}],
   * add_generation_prompt=True)} gives.
   *
   * @throws IllegalArgumentException if the template does not pass the question through verbatim
   *     (the prompt is rendered once, with a placeholder, so it must)
   */
  public static PromptTemplate chat(ChatTemplate chat) {
    String rendered = renderUserTurn(chat, SEARCH_R1_INSTRUCTION);
    String probe = "Who wrote {the} 'Hamlet' \"play\" ü?";
    String direct = renderUserTurn(chat, SEARCH_R1_INSTRUCTION.replace("{question}", probe));
    if (rendered.indexOf("{question}") != rendered.lastIndexOf("{question}")
        || !direct.equals(rendered.replace("{question}", probe))) {
      throw new IllegalArgumentException(
          "the chat template does not pass the user's message through verbatim, so a prompt"
              + " cannot be rendered once for all questions; use --template chatml or search-r1");
    }
    return new PromptTemplate(rendered, true);
  }

  private static String renderUserTurn(ChatTemplate chat, String content) {
    return chat.render(List.of(Map.of("role", "user", "content", content)), true);
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

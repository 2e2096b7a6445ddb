package io.github.dartrl.grpo.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.text.ChatTemplate;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code train-real --template chat}: Search-R1's instruction through the model's own template. */
class PromptTemplateChatTest {
  static ChatTemplate fixture(String name, Map<String, ?> tokens) throws Exception {
    try (InputStream in =
        PromptTemplateChatTest.class.getResourceAsStream(
            "/fixtures/chat-templates/" + name + ".jinja")) {
      return ChatTemplate.of(new String(in.readAllBytes(), StandardCharsets.UTF_8), tokens);
    }
  }

  @Test
  void qwenPromptIsTheTemplatesRenderingOfTheInstructionWithItsDefaultSystemPrompt()
      throws Exception {
    ChatTemplate qwen = fixture("qwen2.5-instruct", Map.of("eos_token", "<|im_end|>"));
    String prompt = PromptTemplate.chat(qwen).apply("who wrote hamlet");
    String instruction =
        PromptTemplate.SEARCH_R1_INSTRUCTION.replace("{question}", "who wrote hamlet?");
    assertThat(prompt)
        .isEqualTo(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful"
                + " assistant.<|im_end|>\n<|im_start|>user\n"
                + instruction
                + "<|im_end|>\n<|im_start|>assistant\n");
    assertThat(prompt)
        .isEqualTo(qwen.render(List.of(Map.of("role", "user", "content", instruction)), true));
  }

  @Test
  void llamaPromptHasItsHeadersAndTrimsTheTurnAsTheTemplateDoes() throws Exception {
    ChatTemplate llama =
        fixture(
            "llama-3.1-instruct",
            Map.of("bos_token", "<|begin_of_text|>", "eos_token", "<|eot_id|>"));
    String prompt = PromptTemplate.chat(llama).apply("Who wrote Hamlet?");
    assertThat(prompt)
        .startsWith(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge"
                + " Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>")
        .endsWith(
            "Question: Who wrote Hamlet?<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
  }

  @Test
  void aTemplateThatRewritesTheMessageIsRefused() {
    ChatTemplate upper =
        ChatTemplate.of(
            "{% for m in messages %}{{ m.content | upper }}{% endfor %}", Map.<String, Object>of());
    assertThatThrownBy(() -> PromptTemplate.chat(upper))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("verbatim");
  }
}

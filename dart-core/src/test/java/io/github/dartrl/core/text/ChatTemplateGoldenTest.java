package io.github.dartrl.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real chat templates rendered by dart4j equal jinja2's rendering under transformers' settings,
 * byte for byte ({@code scripts/oracle/chat_templates.py} wrote the goldens).
 */
class ChatTemplateGoldenTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static String resource(String path) throws Exception {
    try (InputStream in = ChatTemplateGoldenTest.class.getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String templateText(String name) throws Exception {
    return resource("/fixtures/chat-templates/" + name + ".jinja");
  }

  static Stream<Arguments> cases() throws Exception {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode c :
        JSON.readTree(resource("/fixtures/chat-templates/goldens.json")).get("cases")) {
      out.add(
          Arguments.of(
              c.get("template").asText()
                  + " "
                  + c.get("conversation").asText()
                  + (c.get("add_generation_prompt").asBoolean() ? " +gen" : ""),
              c));
    }
    return out.stream();
  }

  @org.junit.jupiter.api.Test
  void goldensCoverBothTemplatesWithAndWithoutToolsAndGenerationPrompt() throws Exception {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (JsonNode c :
        JSON.readTree(resource("/fixtures/chat-templates/goldens.json")).get("cases")) {
      seen.add(
          c.get("template").asText()
              + (c.get("tools").isNull() ? " no-tools" : " tools")
              + (c.get("add_generation_prompt").asBoolean() ? " gen" : " no-gen"));
    }
    for (String t : List.of("qwen2.5-instruct", "llama-3.1-instruct")) {
      for (String tools : List.of(" no-tools", " tools")) {
        for (String gen : List.of(" gen", " no-gen")) {
          assertThat(seen).contains(t + tools + gen);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rendersLikeTransformers(String name, JsonNode c) throws Exception {
    ChatTemplate t =
        ChatTemplate.of(
            templateText(c.get("template").asText()),
            JSON.convertValue(
                c.get("special_tokens"), new TypeReference<Map<String, Object>>() {}));
    List<Map<String, Object>> messages =
        JSON.convertValue(c.get("messages"), new TypeReference<>() {});
    List<Map<String, Object>> tools =
        c.get("tools").isNull()
            ? null
            : JSON.convertValue(c.get("tools"), new TypeReference<>() {});
    String out = t.render(messages, tools, c.get("add_generation_prompt").asBoolean(), Map.of());
    assertThat(out).isEqualTo(c.get("expected").asText());
  }
}

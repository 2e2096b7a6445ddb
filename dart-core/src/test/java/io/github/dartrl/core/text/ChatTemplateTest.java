package io.github.dartrl.core.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTemplateTest {
  static final List<Map<String, Object>> HI = List.of(Map.of("role", "user", "content", "hi"));

  @Test
  void readsTheTemplateAndSpecialTokensOfAModelDirectory(@TempDir Path dir) throws Exception {
    assertThat(ChatTemplate.fromModelDir(dir)).isEmpty(); // no tokenizer_config.json
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"eos_token\": \"</s>\"}");
    assertThat(ChatTemplate.fromModelDir(dir)).isEmpty(); // a raw tokenizer: no chat_template
    Files.writeString(
        dir.resolve("tokenizer_config.json"),
        "{\"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<s>\"}, \"eos_token\": \"</s>\","
            + " \"unk_token\": null, \"chat_template\": [{\"name\": \"tool_use\", \"template\":"
            + " \"T\"}, {\"name\": \"default\", \"template\": \"{{ bos_token }}{% for m in"
            + " messages %}[{{ m.role }}] {{ m.content }}{{ eos_token }}{% endfor %}{{ unk_token"
            + " is defined }}\"}]}");
    ChatTemplate t = ChatTemplate.fromModelDir(dir).orElseThrow();
    assertThat(t.specialTokens()).containsOnlyKeys("bos_token", "eos_token");
    assertThat(t.render(HI, false)).isEqualTo("<s>[user] hi</s>false");
  }

  @Test
  void aMalformedTemplateFieldNamesTheField(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tokenizer_config.json"), "{\"chat_template\": 3}");
    assertThatThrownBy(() -> ChatTemplate.fromModelDir(dir))
        .isInstanceOf(TokenizerFormatException.class)
        .hasMessageContaining("chat_template");
  }

  @Test
  void raiseExceptionStopsTheRenderWithTheTemplatesMessage() {
    ChatTemplate t =
        ChatTemplate.of(
            "{% if messages[0].role != 'system' %}{{ raise_exception('system first!') }}{% endif"
                + " %}ok",
            Map.of());
    assertThatThrownBy(() -> t.render(HI, true))
        .isInstanceOf(ChatTemplateException.class)
        .hasMessageContaining("system first!");
    assertThat(t.render(List.of(Map.of("role", "system", "content", "s")), true)).isEqualTo("ok");
  }

  @Test
  void notBindsLooserThanATestAsInJinja2() {
    // Jinjava alone reads `not x is defined` as `(not x) is defined`: always true
    ChatTemplate t =
        ChatTemplate.of(
            "{% if not tools is defined %}none{% else %}some{% endif %}|{{ not tools is none }}"
                + "| not tools is defined",
            Map.of());
    assertThat(t.render(HI, List.of(Map.of("name", "search")), false, Map.of()))
        .isEqualTo("some|true| not tools is defined");
    assertThat(t.render(HI, false)).isEqualTo("none|false| not tools is defined");
  }

  @Test
  void loopControlsNamespacesAndTrimBlocksWorkAsInJinja2() {
    ChatTemplate t =
        ChatTemplate.of(
            "{% set ns = namespace(n=0) %}\n"
                + "{% for m in messages %}\n"
                + "    {% if m.role == 'system' %}{% continue %}{% endif %}\n"
                + "    {% if loop.index > 3 %}{% break %}{% endif %}\n"
                + "    {% set ns.n = ns.n + 1 %}\n"
                + "[{{ m.content }}]\n"
                + "{% endfor %}\n"
                + "{{ ns.n }}\n",
            Map.of());
    List<Map<String, Object>> msgs =
        List.of(
            Map.of("role", "system", "content", "s"),
            Map.of("role", "user", "content", "a"),
            Map.of("role", "user", "content", "b"),
            Map.of("role", "user", "content", "c"));
    // trim_blocks eats the newline after each block tag, lstrip_blocks the indentation before;
    // the template's final newline is dropped as jinja2 drops it
    assertThat(t.render(msgs, false)).isEqualTo("[a]\n[b]\n2");
  }

  @Test
  void stringsAreIterableAsInJinja2() {
    ChatTemplate t = ChatTemplate.of("{{ 'ab' is iterable }}{{ x is iterable }}", Map.of());
    assertThat(t.render(HI, null, false, Map.of("x", 3))).isEqualTo("truefalse");
  }

  @Test
  void tojsonWritesWhatPythonsJsonDumpsWrites() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("b", List.of(1, 2.5, 1.0, 1e16, 1e-5, 0.0001, true));
    m.put("a", "é\"\n\u0001");
    m.put("empty", Map.of());
    m.put("none", null);
    ChatTemplate t =
        ChatTemplate.of(
            "{{ x | tojson }}\n{{ x | tojson(indent=2, sort_keys=true) }}\n"
                + "{{ x | tojson(ensure_ascii=true, separators=[',', ':']) }}",
            Map.of());
    assertThat(t.render(HI, null, false, Map.of("x", m)))
        .isEqualTo(
            "{\"b\": [1, 2.5, 1.0, 1e+16, 1e-05, 0.0001, true], \"a\": \"é\\\"\\n\\u0001\","
                + " \"empty\": {}, \"none\": null}\n"
                + "{\n  \"a\": \"é\\\"\\n\\u0001\",\n  \"b\": [\n    1,\n    2.5,\n    1.0,\n"
                + "    1e+16,\n    1e-05,\n    0.0001,\n    true\n  ],\n  \"empty\": {},\n"
                + "  \"none\": null\n}\n"
                + "{\"b\":[1,2.5,1.0,1e+16,1e-05,0.0001,true],\"a\":\"\\u00e9\\\"\\n\\u0001\","
                + "\"empty\":{},\"none\":null}");
  }

  @Test
  void aTemplateJinjavaCannotRunFailsClearlyInsteadOfRenderingSomethingElse() throws Exception {
    // Qwen3's template uses Python string methods (startswith, lstrip, ...) and extended slices
    // (messages[::-1]) that Jinjava does not have: a clear error, never a silently wrong prompt
    String qwen3 =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                ChatTemplateTest.class.getResourceAsStream(
                    "/fixtures/qwen3-tokenizer/tokenizer_config.json"))
            .get("chat_template")
            .asText();
    ChatTemplate t = ChatTemplate.of(qwen3, Map.of("eos_token", "<|im_end|>"));
    assertThatThrownBy(() -> t.render(HI, true))
        .isInstanceOf(ChatTemplateException.class)
        .hasMessageContaining("line");
  }
}

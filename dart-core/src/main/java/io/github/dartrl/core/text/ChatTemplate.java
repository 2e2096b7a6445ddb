package io.github.dartrl.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import io.github.dartrl.core.io.UntrustedJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model's own chat template ({@code chat_template} of {@code tokenizer_config.json}, Jinja),
 * rendered as transformers' {@code apply_chat_template(..., tokenize=False)} renders it: the
 * messages (role/content, assistant {@code tool_calls}, {@code tool} messages), the tools' JSON
 * schemas, {@code add_generation_prompt}, and the tokenizer's special tokens ({@code bos_token},
 * {@code eos_token}, ... — those that are set) as variables; whatever default system prompt the
 * template has applies.
 *
 * <p>The engine is Jinjava configured like transformers' jinja2 environment ({@code trim_blocks},
 * {@code lstrip_blocks}, loop controls, jinja2 operator precedence and whitespace control), with
 * transformers' {@code tojson} (Python's {@code json.dumps} spacing, non-ASCII kept), {@code
 * raise_exception} and {@code strftime_now}. Golden tests render Qwen2.5-Instruct's and
 * Llama-3.1-Instruct's templates against jinja2's output byte for byte.
 */
public final class ChatTemplate {
  /** Special-token fields of tokenizer_config.json passed to the template when set. */
  static final List<String> SPECIAL_TOKENS =
      List.of(
          "bos_token",
          "eos_token",
          "unk_token",
          "sep_token",
          "pad_token",
          "cls_token",
          "mask_token",
          "additional_special_tokens");

  private static final ObjectMapper JSON = UntrustedJson.newMapper();

  private final String source;
  private final Map<String, Object> specialTokens;
  private final String prepared;
  private final Jinjava jinjava;

  private ChatTemplate(String source, Map<String, Object> specialTokens) {
    this.source = source;
    this.prepared = JinjaCompat.prepare(source);
    this.specialTokens = Map.copyOf(specialTokens);
    this.jinjava = newEngine();
  }

  /**
   * A template with the given special tokens (name → string, or list of strings for {@code
   * additional_special_tokens}).
   */
  public static ChatTemplate of(String template, Map<String, ?> specialTokens) {
    if (template == null || template.isBlank()) {
      throw new IllegalArgumentException("empty chat template");
    }
    return new ChatTemplate(template, new LinkedHashMap<>(specialTokens));
  }

  /**
   * The chat template of a model directory's {@code tokenizer_config.json}, or empty when the file
   * or its {@code chat_template} is absent (a raw tokenizer). A list of named templates (as some
   * models ship) yields the one named {@code default}.
   *
   * @throws TokenizerFormatException if the file is malformed
   */
  public static Optional<ChatTemplate> fromModelDir(Path modelDir) {
    Path file = modelDir.resolve(SpecialTokenIds.TOKENIZER_CONFIG);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new TokenizerFormatException(file, null, "cannot read: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new TokenizerFormatException(file, null, "expected a JSON object");
    }
    String template = templateText(file, root.get("chat_template"));
    if (template == null) {
      return Optional.empty();
    }
    Map<String, Object> tokens = new LinkedHashMap<>();
    for (String name : SPECIAL_TOKENS) {
      Object value = tokenValue(root.get(name));
      if (value != null) {
        tokens.put(name, value);
      }
    }
    return Optional.of(new ChatTemplate(template, tokens));
  }

  private static String templateText(Path file, JsonNode t) {
    if (t == null || t.isNull()) {
      return null;
    }
    if (t.isTextual()) {
      return t.asText();
    }
    if (t.isArray()) {
      for (JsonNode named : t) {
        if (named.path("name").asText("").equals("default") && named.path("template").isTextual()) {
          return named.get("template").asText();
        }
      }
    }
    throw new TokenizerFormatException(
        file,
        "chat_template",
        "expected a string or a list of {name, template} with one named default");
  }

  /** A special token as tokenizer_config.json writes it: a string or an AddedToken object. */
  private static Object tokenValue(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isTextual()) {
      return n.asText();
    }
    if (n.isObject() && n.path("content").isTextual()) {
      return n.get("content").asText();
    }
    if (n.isArray()) {
      List<Object> list = new ArrayList<>();
      n.forEach(x -> list.add(tokenValue(x)));
      return list;
    }
    return null;
  }

  /** The template source, as given. */
  public String source() {
    return source;
  }

  /** The special tokens passed to the template. */
  public Map<String, Object> specialTokens() {
    return specialTokens;
  }

  /** Renders a conversation without tools. */
  public String render(List<? extends Map<String, ?>> messages, boolean addGenerationPrompt) {
    return render(messages, null, addGenerationPrompt, Map.of());
  }

  /**
   * Renders a conversation.
   *
   * @param messages {@code {"role", "content"}} maps, plus {@code tool_calls} on assistant turns
   *     ({@code [{"type": "function", "function": {"name", "arguments": {...}}}]}) and {@code tool}
   *     turns, as transformers takes them
   * @param tools JSON schemas of the tools ({@code {"type": "function", "function": {...}}}), or
   *     null for none
   * @param addGenerationPrompt end with the header that opens the assistant's turn
   * @param extra further template variables (e.g. {@code date_string}, {@code enable_thinking})
   * @throws ChatTemplateException when the template raises an exception or fails to render
   */
  public String render(
      List<? extends Map<String, ?>> messages,
      List<? extends Map<String, ?>> tools,
      boolean addGenerationPrompt,
      Map<String, ?> extra) {
    Map<String, Object> vars = new LinkedHashMap<>(specialTokens);
    vars.putAll(extra);
    vars.put("messages", messages);
    vars.put("tools", tools);
    vars.put("documents", null);
    vars.put("add_generation_prompt", addGenerationPrompt);
    RenderResult r;
    try {
      r = jinjava.renderForResult(prepared, vars);
    } catch (RuntimeException e) {
      throw new ChatTemplateException("chat template failed: " + e.getMessage(), e);
    }
    List<String> fatal = new ArrayList<>();
    for (TemplateError e : r.getErrors()) {
      ChatTemplateException raised = raisedBy(e.getException());
      if (raised != null) {
        // raise_exception(): the template's own message is the error, as in transformers
        throw new ChatTemplateException(
            "chat template raised an exception: " + raised.getMessage(), raised);
      }
      if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
        fatal.add((e.getLineno() > 0 ? "line " + e.getLineno() + ": " : "") + e.getMessage());
      }
    }
    if (!fatal.isEmpty()) {
      throw new ChatTemplateException("chat template failed: " + String.join("; ", fatal));
    }
    return r.getOutput();
  }

  private static ChatTemplateException raisedBy(Throwable t) {
    for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
      if (t instanceof ChatTemplateException c) {
        return c;
      }
    }
    return null;
  }

  private static Jinjava newEngine() {
    JinjavaConfig config =
        JinjavaConfig.newBuilder()
            .withTrimBlocks(true)
            .withLstripBlocks(true)
            .withLegacyOverrides(
                LegacyOverrides.newBuilder()
                    // jinja2's semantics where Jinjava's defaults differ: filters bind tighter
                    // than + (so 'a' + x | trim trims x only), {{- and {#- trim whitespace, a
                    // for loop over a dict yields its keys, loop values may be null
                    .withUseNaturalOperatorPrecedence(true)
                    .withParseWhitespaceControlStrictly(true)
                    .withUseTrimmingForNotesAndExpressions(true)
                    .withKeepNullableLoopValues(true)
                    .withIterateOverMapKeys(true)
                    .withEvaluateMapKeys(true)
                    .withAllowAdjacentTextNodes(true)
                    .build())
            .withNestedInterpretationEnabled(false)
            .build();
    Jinjava j = new Jinjava(config);
    j.registerFilter(new ToJsonFilter());
    j.registerExpTest(new JinjaCompat.IsIterable());
    j.registerFunction(
        new ELFunctionDefinition(
            "", "raise_exception", ChatTemplateFunctions.class, "raiseException", String.class));
    j.registerFunction(
        new ELFunctionDefinition(
            "", "strftime_now", ChatTemplateFunctions.class, "strftimeNow", String.class));
    return j;
  }
}

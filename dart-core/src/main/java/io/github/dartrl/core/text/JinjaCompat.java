package io.github.dartrl.core.text;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Jinjava reads a chat template differently from jinja2, and the small corrections that make
 * it render as transformers does. Each was found by a golden test ({@code ChatTemplateGoldenTest}).
 */
final class JinjaCompat {
  /** A {@code {{ ... }}} or {@code {% ... %}} tag (comments and text are left alone). */
  private static final Pattern TAG = Pattern.compile("\\{\\{.*?\\}\\}|\\{%.*?%\\}", Pattern.DOTALL);

  /**
   * {@code not <operand> is [not] <test>} with a test that takes no argument. jinja2 reads it as
   * {@code not (<operand> is <test>)}; Jinjava as {@code (not <operand>) is <test>}, which turns
   * Llama 3.1's {@code {% if not tools is defined %}} into "always" and drops the tools.
   */
  private static final Pattern NOT_IS =
      Pattern.compile(
          "\\bnot\\s+([A-Za-z_][\\w.]*(?:\\[[^\\]\\[]*\\])*(?:\\.[A-Za-z_]\\w*)*)\\s+is\\s+(not\\s+)?"
              + "(defined|undefined|none|string|mapping|iterable|sequence|number|integer|float"
              + "|boolean|true|false|callable|lower|upper|even|odd)\\b");

  private JinjaCompat() {}

  /**
   * The template as Jinjava should see it: without the one trailing newline jinja2 drops ({@code
   * keep_trailing_newline=False}), with jinja2's precedence of {@code not} over tests made
   * explicit.
   */
  static String prepare(String source) {
    String s = source.endsWith("\n") ? source.substring(0, source.length() - 1) : source;
    Matcher tags = TAG.matcher(s);
    StringBuilder out = new StringBuilder();
    while (tags.find()) {
      String tag = tags.group();
      String fixed = NOT_IS.matcher(tag).replaceAll("not ($1 is $2$3)");
      tags.appendReplacement(out, Matcher.quoteReplacement(fixed));
    }
    tags.appendTail(out);
    return out.toString();
  }

  /**
   * jinja2's {@code iterable} test: strings, sequences and mappings are iterable (Jinjava says no
   * to strings). Llama 3.1 relies on it: a tool result string goes through {@code tojson}.
   */
  static final class IsIterable implements ExpTest {
    @Override
    public String getName() {
      return "iterable";
    }

    @Override
    public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
      return var instanceof CharSequence
          || var instanceof Iterable<?>
          || var instanceof Map<?, ?>
          || (var != null && var.getClass().isArray());
    }
  }
}

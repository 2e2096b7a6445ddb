package io.github.dartrl.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.ToolSpan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the {@code tools} array of a version-2 dart.json: one entry per tool span with its tags,
 * role code and adapter. Each entry must agree with {@code spans} and with the role codes this code
 * assigns, so a file cannot route a tool's tokens somewhere its own record does not say.
 */
final class ToolEntries {
  private ToolEntries() {}

  /**
   * The tool-adapter group of each tool (adapter index - 1) for a routed method, else an empty
   * list.
   */
  static List<Integer> groups(Path file, JsonNode tools, List<ToolSpan> spans, Method method) {
    if (tools == null || !tools.isArray()) {
      throw new ModelFormatException(
          file, "tools", "expected an array with one entry per tool span, found " + tools);
    }
    if (tools.size() != spans.size()) {
      throw new ModelFormatException(
          file,
          "tools",
          "expected one entry per tool span (" + spans.size() + "), found " + tools.size());
    }
    List<Integer> groups = new ArrayList<>();
    for (int k = 0; k < tools.size(); k++) {
      JsonNode t = tools.get(k);
      String field = "tools[" + k + "]";
      ToolSpan span = spans.get(k);
      if (!t.isObject()
          || t.path("span").asInt(-1) != k
          || !span.open().equals(t.path("open").asText(null))
          || !span.close().equals(t.path("close").asText(null))) {
        throw new ModelFormatException(
            file, field, "expected span " + k + " with tags " + span + ", found " + t);
      }
      if (t.path("role_code").asInt(-1) != TokenRole.toolCode(k)) {
        throw new ModelFormatException(
            file,
            field + ".role_code",
            "tool "
                + k
                + " has role code "
                + TokenRole.toolCode(k)
                + ", found "
                + t.get("role_code"));
      }
      JsonNode a = t.get("adapter");
      if (a == null || !a.isInt()) {
        throw new ModelFormatException(file, field + ".adapter", "expected an adapter index");
      }
      if (method.isRouted()) {
        if (a.intValue() < 1) {
          throw new ModelFormatException(
              file,
              field + ".adapter",
              method + " keeps adapter 0 for reasoning: a tool's adapter is >= 1, found " + a);
        }
        groups.add(a.intValue() - 1);
      }
    }
    return groups;
  }
}

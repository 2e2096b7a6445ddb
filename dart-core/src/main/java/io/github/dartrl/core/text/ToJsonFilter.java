package io.github.dartrl.core.text;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.List;
import java.util.Map;

/**
 * transformers' {@code tojson} filter: {@code json.dumps(x, ensure_ascii=False, indent=None,
 * separators=None, sort_keys=False)}, arguments by position in that order or by name; replaces
 * Jinjava's (compact Jackson output).
 */
final class ToJsonFilter implements Filter {
  private static final List<String> PARAMS =
      List.of("ensure_ascii", "indent", "separators", "sort_keys");

  @Override
  public String getName() {
    return "tojson";
  }

  @Override
  public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
    return filter(var, interpreter, (Object[]) args, Map.of());
  }

  @Override
  public Object filter(
      Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
    Object[] values = new Object[PARAMS.size()];
    for (int i = 0; i < args.length; i++) {
      if (i >= values.length) {
        throw new IllegalArgumentException("tojson takes at most 4 arguments");
      }
      values[i] = args[i];
    }
    for (Map.Entry<String, Object> e : kwargs.entrySet()) {
      int i = PARAMS.indexOf(e.getKey());
      if (i < 0) {
        throw new IllegalArgumentException("tojson has no argument " + e.getKey());
      }
      values[i] = e.getValue();
    }
    Integer indent =
        values[1] == null
            ? null
            : values[1] instanceof Number n ? n.intValue() : Integer.parseInt(values[1].toString());
    @SuppressWarnings("unchecked")
    List<String> separators =
        values[2] == null
            ? null
            : ((List<Object>) values[2]).stream().map(String::valueOf).toList();
    return new PythonJson(indent, separators, truthy(values[3]), truthy(values[0])).dumps(var);
  }

  private static boolean truthy(Object o) {
    return o instanceof Boolean b ? b : o != null && !"false".equalsIgnoreCase(o.toString());
  }
}

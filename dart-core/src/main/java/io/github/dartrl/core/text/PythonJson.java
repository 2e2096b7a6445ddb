package io.github.dartrl.core.text;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code json.dumps} as Python writes it, for the {@code tojson} filter of chat templates:
 * transformers renders {@code x | tojson} as {@code json.dumps(x, ensure_ascii=False,
 * indent=indent, separators=separators, sort_keys=sort_keys)}, whose spacing ({@code ", "} and
 * {@code ": "} by default, {@code ","} at line ends when indenting) differs from Jackson's compact
 * output and is part of the prompt the model was trained on.
 */
final class PythonJson {
  private final Integer indent;
  private final String itemSeparator;
  private final String keySeparator;
  private final boolean sortKeys;
  private final boolean ensureAscii;

  /**
   * @param indent spaces per level, or null for one line
   * @param separators {@code [item, key]} separators, or null for Python's defaults
   * @param sortKeys sort object keys
   * @param ensureAscii escape non-ASCII characters as {@code \\uXXXX}
   */
  PythonJson(Integer indent, List<String> separators, boolean sortKeys, boolean ensureAscii) {
    this.indent = indent;
    if (separators != null) {
      if (separators.size() != 2) {
        throw new IllegalArgumentException(
            "tojson separators must be a pair (item, key), got " + separators);
      }
      this.itemSeparator = separators.get(0);
      this.keySeparator = separators.get(1);
    } else {
      this.itemSeparator = indent == null ? ", " : ",";
      this.keySeparator = ": ";
    }
    this.sortKeys = sortKeys;
    this.ensureAscii = ensureAscii;
  }

  String dumps(Object value) {
    StringBuilder out = new StringBuilder();
    write(out, value, 0);
    return out.toString();
  }

  private void write(StringBuilder out, Object v, int level) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else if (v instanceof Double || v instanceof Float) {
      out.append(floatRepr(((Number) v).doubleValue()));
    } else if (v instanceof Number n) {
      out.append(n.toString());
    } else if (v instanceof Map<?, ?> m) {
      writeObject(out, m, level);
    } else if (v instanceof Collection<?> c) {
      writeArray(out, new ArrayList<>(c), level);
    } else if (v.getClass().isArray()) {
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < Array.getLength(v); i++) {
        items.add(Array.get(v, i));
      }
      writeArray(out, items, level);
    } else {
      writeString(out, v.toString());
    }
  }

  private void writeObject(StringBuilder out, Map<?, ?> m, int level) {
    if (m.isEmpty()) {
      out.append("{}");
      return;
    }
    Map<?, ?> entries = m;
    if (sortKeys) {
      TreeMap<String, Object> sorted = new TreeMap<>();
      m.forEach((k, val) -> sorted.put(String.valueOf(k), val));
      entries = sorted;
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> e : entries.entrySet()) {
      if (!first) {
        out.append(itemSeparator);
      }
      first = false;
      newline(out, level + 1);
      writeString(out, String.valueOf(e.getKey()));
      out.append(keySeparator);
      write(out, e.getValue(), level + 1);
    }
    newline(out, level);
    out.append('}');
  }

  private void writeArray(StringBuilder out, List<?> items, int level) {
    if (items.isEmpty()) {
      out.append("[]");
      return;
    }
    out.append('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.append(itemSeparator);
      }
      newline(out, level + 1);
      write(out, items.get(i), level + 1);
    }
    newline(out, level);
    out.append(']');
  }

  private void newline(StringBuilder out, int level) {
    if (indent != null) {
      out.append('\n').append(" ".repeat(indent * level));
    }
  }

  private void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || (ensureAscii && c > 0x7e)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  /** Python's {@code repr(float)}: shortest round-trip digits, {@code 1.0}, {@code 1e+16}. */
  static String floatRepr(double d) {
    if (Double.isNaN(d)) {
      return "NaN";
    }
    if (Double.isInfinite(d)) {
      return d > 0 ? "Infinity" : "-Infinity";
    }
    String s = Double.toString(d); // shortest round-trip digits, like Python's repr
    int e = s.indexOf('E');
    if (e < 0) {
      return s; // 1.0, 0.001, 1234567.0
    }
    // Java switches to exponents at 1e7 and below 1e-3; Python at 1e16 and below 1e-4
    int exponent = Integer.parseInt(s.substring(e + 1));
    if (exponent >= -4 && exponent < 16) {
      String plain = new BigDecimal(s).stripTrailingZeros().toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String mantissa = s.substring(0, e);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    return mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
  }
}

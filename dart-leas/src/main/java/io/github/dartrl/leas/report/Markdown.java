package io.github.dartrl.leas.report;

import java.util.Locale;

/** Number formatting for the Markdown summaries (locale-independent). */
final class Markdown {
  private Markdown() {}

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** Two decimals, or "–" for NaN. */
  static String num(double v) {
    return Double.isNaN(v) ? "–" : f("%.2f", v);
  }

  /** A percentage with one decimal. */
  static String pct(double v) {
    return Double.isNaN(v) ? "–" : f("%.1f%%", 100 * v);
  }

  /** A p-value: three significant digits, or "< 1e-4". */
  static String p(double v) {
    if (Double.isNaN(v)) {
      return "–";
    }
    return v < 1e-4 ? "< 1e-4" : f("%.3g", v);
  }
}

package io.github.dartrl.examples.bench;

import java.util.Locale;

/**
 * A performance target from the performance issue: a measured ratio and its limit.
 *
 * @param name what is compared, e.g. "DART step / LoRA step"
 * @param value the measured ratio (NaN if not measured)
 * @param limit the target
 * @param atMost true if the value must be at most the limit, false if at least
 * @param note what limits it, or how it was measured (may be empty)
 */
public record Target(String name, double value, double limit, boolean atMost, String note) {

  public Target {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("target needs a name");
    }
    if (!(limit > 0)) {
      throw new IllegalArgumentException("target limit must be > 0, got " + limit);
    }
    note = note == null ? "" : note;
  }

  /** True when the value meets the limit (NaN never does). */
  public boolean met() {
    return atMost ? value <= limit : value >= limit;
  }

  /** "PASS" or "MISS". */
  public String verdict() {
    return met() ? "PASS" : "MISS";
  }

  /** One Markdown table row: name, value, target, verdict, note. */
  public String row() {
    return String.format(
        Locale.ROOT,
        "| %s | %.2f | %s %.2f | %s | %s |",
        name,
        value,
        atMost ? "≤" : "≥",
        limit,
        verdict(),
        note);
  }
}

package io.github.dartrl.grpo.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The scalar metrics of one training (or evaluation) step, for example {@code reward}, {@code em},
 * {@code kl}, {@code pg_clipfrac}.
 *
 * @param step the step number, {@code >= 0}
 * @param values metric name to value, in insertion order; a null value is stored as NaN (missing).
 *     The name {@code step} is reserved for the step number in {@code metrics.jsonl}.
 */
public record StepMetrics(int step, Map<String, Double> values) {

  /** Validates and copies the values, keeping their order. */
  public StepMetrics {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    Objects.requireNonNull(values, "values");
    Map<String, Double> copy = new LinkedHashMap<>();
    values.forEach(
        (k, v) -> {
          Objects.requireNonNull(k, "metric name");
          if (k.equals("step")) {
            throw new IllegalArgumentException("\"step\" is reserved for the step number");
          }
          copy.put(k, v == null ? Double.NaN : v);
        });
    values = Collections.unmodifiableMap(copy);
  }

  /** The value of a metric, or NaN when this step does not have it. */
  public double value(String name) {
    return values.getOrDefault(name, Double.NaN);
  }
}

package io.github.dartrl.grpo.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs a one-line progress report every few steps:
 *
 * <pre>step 12/100 (12%) | reward 0.41 | em 0.38 | kl 0.0012 | 3.2 s/step | ETA 4m41s</pre>
 *
 * <p>The speed is a moving average over the last {@code window} steps (wall time between the
 * reports of the oldest and newest step in the window, divided by the steps between them), so it
 * follows slow-downs such as longer rollouts late in training without being thrown by one slow
 * step; the first steps are timed from when the reporter was built. The ETA is that speed times the
 * remaining steps, truncated to the second. Values print with two decimals, or two significant
 * digits below 0.01 (a KL of 0.0012 stays readable); a metric the step lacks, or a NaN, prints as
 * {@code n/a}. The clock is injectable for tests. Not thread-safe: the training loop owns it.
 */
public final class ProgressReporter {

  private static final Logger LOG = LoggerFactory.getLogger(ProgressReporter.class);

  private final int totalSteps;
  private final String label;
  private final String unit;
  private final List<String> keys;
  private final int every;
  private final int window;
  private final LongSupplier nanoClock;
  private final Deque<long[]> times = new ArrayDeque<>(); // {step, nanos}

  private ProgressReporter(Builder b) {
    this.totalSteps = b.totalSteps;
    this.label = b.label;
    this.unit = b.unit;
    this.keys = List.copyOf(b.keys);
    this.every = b.every;
    this.window = b.window;
    this.nanoClock = b.nanoClock;
    times.add(new long[] {b.startStep, nanoClock.getAsLong()});
  }

  /**
   * A builder for a run of {@code totalSteps} steps.
   *
   * @param totalSteps the last step number, {@code >= 1}
   */
  public static Builder builder(int totalSteps) {
    return new Builder(totalSteps);
  }

  /**
   * Records that a step finished and, when a report is due (every {@code every} steps, and at the
   * last step), logs the line at INFO.
   *
   * @param metrics the finished step's metrics
   * @return the logged line, or empty when no report was due
   */
  public Optional<String> report(StepMetrics metrics) {
    long now = nanoClock.getAsLong();
    if (metrics.step() > times.getLast()[0]) {
      times.addLast(new long[] {metrics.step(), now});
      while (times.size() > window + 1) {
        times.removeFirst();
      }
    }
    if (metrics.step() % every != 0 && metrics.step() != totalSteps) {
      return Optional.empty();
    }
    String line = line(metrics);
    LOG.info("{}", line);
    return Optional.of(line);
  }

  /** The progress line for a step, with the speed measured so far; records nothing. */
  public String line(StepMetrics metrics) {
    int step = metrics.step();
    StringBuilder sb = new StringBuilder();
    long percent = Math.min(100, Math.max(0, (long) step * 100 / totalSteps));
    if (!label.isEmpty()) {
      sb.append(label).append(" | ");
    }
    sb.append(unit).append(' ').append(step).append('/').append(totalSteps);
    sb.append(" (").append(percent).append("%)");
    for (String key : keys) {
      sb.append(" | ").append(key).append(' ').append(formatValue(metrics.value(key)));
    }
    double secondsPerStep = secondsPerStep();
    if (Double.isNaN(secondsPerStep)) {
      sb.append(" | n/a s/").append(unit).append(" | ETA n/a");
    } else {
      sb.append(" | ").append(formatRate(secondsPerStep)).append(" s/").append(unit);
      long remaining = Math.max(0, totalSteps - step);
      sb.append(" | ETA ").append(formatDuration((long) (secondsPerStep * remaining)));
    }
    return sb.toString();
  }

  /** The moving-average seconds per step, or NaN before any step was recorded. */
  public double secondsPerStep() {
    long[] first = times.getFirst();
    long[] last = times.getLast();
    if (last[0] == first[0]) {
      return Double.NaN;
    }
    return (last[1] - first[1]) / 1e9 / (last[0] - first[0]);
  }

  /** A metric value for the line: two decimals, two significant digits below 0.01. */
  static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 1e5) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    if (a >= 0.01) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    if (a >= 1e-4) {
      return new BigDecimal(v).round(new MathContext(2)).toPlainString();
    }
    return String.format(Locale.ROOT, "%.1e", v);
  }

  private static String formatRate(double seconds) {
    if (seconds >= 10) {
      return String.format(Locale.ROOT, "%.0f", seconds);
    }
    if (seconds >= 1) {
      return String.format(Locale.ROOT, "%.1f", seconds);
    }
    return String.format(Locale.ROOT, "%.2f", seconds);
  }

  /** {@code 41s}, {@code 4m41s}, {@code 1h02m03s}. */
  static String formatDuration(long seconds) {
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long s = seconds % 60;
    if (h > 0) {
      return String.format(Locale.ROOT, "%dh%02dm%02ds", h, m, s);
    }
    if (m > 0) {
      return String.format(Locale.ROOT, "%dm%02ds", m, s);
    }
    return s + "s";
  }

  /** Settings for a {@link ProgressReporter}; only the total is required. */
  public static final class Builder {
    private final int totalSteps;
    private List<String> keys = List.of("reward", "em", "kl");
    private String label = "";
    private String unit = "step";
    private int every = 1;
    private int window = 10;
    private int startStep;
    private LongSupplier nanoClock = System::nanoTime;

    private Builder(int totalSteps) {
      if (totalSteps < 1) {
        throw new IllegalArgumentException("totalSteps must be >= 1, got " + totalSteps);
      }
      this.totalSteps = totalSteps;
    }

    /** The metrics shown, in order (default {@code reward, em, kl}). */
    public Builder optKeys(List<String> keys) {
      this.keys = List.copyOf(keys);
      return this;
    }

    /**
     * What is counted, as the line names it (default {@code step}); an evaluation counts {@code
     * question}s.
     */
    public Builder optUnit(String unit) {
      if (unit.isBlank()) {
        throw new IllegalArgumentException("unit must not be blank");
      }
      this.unit = unit;
      return this;
    }

    /** A label the line starts with, e.g. {@code eval (warm start)} (default none). */
    public Builder optLabel(String label) {
      this.label = Objects.requireNonNull(label, "label");
      return this;
    }

    /** Report every {@code every} steps (default 1); the last step is always reported. */
    public Builder optEvery(int every) {
      if (every < 1) {
        throw new IllegalArgumentException("every must be >= 1, got " + every);
      }
      this.every = every;
      return this;
    }

    /** The number of recent steps the speed is averaged over (default 10). */
    public Builder optWindow(int window) {
      if (window < 1) {
        throw new IllegalArgumentException("window must be >= 1, got " + window);
      }
      this.window = window;
      return this;
    }

    /** The step the run starts after, when resuming (default 0). */
    public Builder optStartStep(int startStep) {
      if (startStep < 0 || startStep >= totalSteps) {
        throw new IllegalArgumentException(
            "startStep must be in [0, " + totalSteps + "), got " + startStep);
      }
      this.startStep = startStep;
      return this;
    }

    /** The clock, in nanoseconds (default {@link System#nanoTime}); for tests. */
    public Builder optClock(LongSupplier nanoClock) {
      this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
      return this;
    }

    /** Builds the reporter; its clock starts now. */
    public ProgressReporter build() {
      return new ProgressReporter(this);
    }
  }
}

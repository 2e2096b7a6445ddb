package io.github.dartrl.examples.harness;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times the phases of a long job and logs one line as each starts and ends, with the elapsed time
 * and what is left of an optional time budget. Used by the quickstart, compare and interference
 * jobs.
 */
public final class Phases {
  private static final Logger LOG = LoggerFactory.getLogger(Phases.class);
  private final int total;
  private final double budgetSeconds;
  private final long start = System.nanoTime();
  private final long cpuStart = cpuNanos();
  private final Map<String, Double> timings = new LinkedHashMap<>();
  private final Map<String, Double> cpu = new LinkedHashMap<>();
  private int index;
  private String name;
  private long phaseStart;
  private long phaseCpu;

  /**
   * @param total the number of phases (for the {@code [i/total]} prefix)
   * @param budgetMinutes the time budget (0 = none)
   */
  public Phases(int total, double budgetMinutes) {
    this.total = total;
    this.budgetSeconds = budgetMinutes * 60;
  }

  /** Starts the next phase. */
  public void start(String phase) {
    index++;
    name = phase;
    phaseStart = System.nanoTime();
    phaseCpu = cpuNanos();
    LOG.info("[{}/{}] {} ... (elapsed {})", index, total, phase, format(elapsedSeconds()));
  }

  /** Ends the current phase; returns its duration in seconds. */
  public double done(String detail) {
    double s = (System.nanoTime() - phaseStart) / 1e9;
    timings.put(name, s);
    cpu.put(name, (cpuNanos() - phaseCpu) / 1e9);
    String budget =
        budgetSeconds > 0 ? " | budget left " + format(Math.max(0, remainingSeconds())) : "";
    LOG.info(
        "[{}/{}] {} done in {}: {} | elapsed {}{}",
        index,
        total,
        name,
        format(s),
        detail,
        format(elapsedSeconds()),
        budget);
    return s;
  }

  /** Seconds since this object was created. */
  public double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Seconds left in the budget (infinite without one). */
  public double remainingSeconds() {
    return budgetSeconds > 0 ? budgetSeconds - elapsedSeconds() : Double.POSITIVE_INFINITY;
  }

  /** Seconds per phase, in order, plus {@code total}. */
  public Map<String, Double> timings() {
    Map<String, Double> m = new LinkedHashMap<>(timings);
    m.put("total", elapsedSeconds());
    return m;
  }

  /** Process CPU seconds per phase (all threads), in order, plus {@code total}. */
  public Map<String, Double> cpuSeconds() {
    Map<String, Double> m = new LinkedHashMap<>(cpu);
    m.put("total", (cpuNanos() - cpuStart) / 1e9);
    return m;
  }

  private static long cpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /** {@code 1m05s} or {@code 42s}. */
  public static String format(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  /**
   * The "Phases" table of a report: wall time per phase and, when {@code cpu} is given, the process
   * CPU time (all threads) next to it.
   *
   * @param wall seconds per phase, as {@link #timings()} returns them
   * @param cpu CPU seconds per phase as {@link #cpuSeconds()} returns them, or null for none
   */
  public static MarkdownTable table(Map<String, Double> wall, Map<String, Double> cpu) {
    MarkdownTable t =
        cpu == null
            ? MarkdownTable.labelled("phase", "wall time")
            : MarkdownTable.labelled("phase", "wall time", "CPU time (all threads)");
    wall.forEach(
        (k, v) -> {
          if (cpu == null) {
            t.row(k, format(v));
          } else {
            t.row(k, format(v), format(cpu.getOrDefault(k, Double.NaN)));
          }
        });
    return t;
  }
}

package io.github.dartrl.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many cores other processes used while this JVM was timing something: the machine's busy time
 * from {@code /proc/stat} minus this process's own CPU time, over the wall time. The load average
 * cannot tell this: it counts the benchmark's own threads, and a job that just ended keeps it high
 * for minutes.
 */
final class CpuContention {
  /** USER_HZ, the unit of {@code /proc/stat}: 100 on every Linux build in use. */
  private static final double TICKS_PER_SECOND = 100;

  private final long busyTicks;
  private final long ownNanos;
  private final long wallNanos;

  private CpuContention(long busyTicks, long ownNanos, long wallNanos) {
    this.busyTicks = busyTicks;
    this.ownNanos = ownNanos;
    this.wallNanos = wallNanos;
  }

  /** Starts a measurement. */
  static CpuContention start() {
    return new CpuContention(busyTicks(), ownCpuNanos(), System.nanoTime());
  }

  /**
   * The mean number of cores other processes kept busy since {@link #start()}, or NaN where the
   * figures are not available (not Linux).
   */
  double otherCores() {
    long busy = busyTicks();
    long own = ownCpuNanos();
    if (busy < 0 || busyTicks < 0 || own < 0 || ownNanos < 0) {
      return Double.NaN;
    }
    double wall = (System.nanoTime() - wallNanos) / 1e9;
    double machine = (busy - busyTicks) / TICKS_PER_SECOND;
    double self = (own - ownNanos) / 1e9;
    return wall <= 0 ? Double.NaN : Math.max(0, machine - self) / wall;
  }

  /** user + nice + system + irq + softirq + steal of the aggregate {@code cpu} line, or -1. */
  private static long busyTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      if (!f[0].equals("cpu") || f.length < 9) {
        return -1;
      }
      return Long.parseLong(f[1])
          + Long.parseLong(f[2])
          + Long.parseLong(f[3])
          + Long.parseLong(f[6])
          + Long.parseLong(f[7])
          + Long.parseLong(f[8]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static long ownCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}

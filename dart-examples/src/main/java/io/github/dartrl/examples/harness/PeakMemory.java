package io.github.dartrl.examples.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's peak resident set size (Linux {@code VmHWM}): Java heap, native tensors and code
 * alike. Per method only when each method runs in its own process, as {@code
 * scripts/compare-study.sh} does.
 */
public final class PeakMemory {
  private static final Path STATUS = Path.of("/proc/self/status");

  private PeakMemory() {}

  /** Peak RSS of this process in MB, NaN where {@code /proc/self/status} does not exist. */
  public static double peakRssMb() {
    if (!Files.isReadable(STATUS)) {
      return Double.NaN;
    }
    try {
      for (String l : Files.readAllLines(STATUS)) {
        if (l.startsWith("VmHWM:")) {
          return Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }
}

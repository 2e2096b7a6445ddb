package io.github.dartrl.core.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's peak resident memory over a piece of code (Linux): resets the high-water mark
 * ({@code 5 > /proc/self/clear_refs}) and reads {@code VmHWM} after. Other threads (GC, JIT) add
 * noise of a few MB, so assert on differences of tens of MB and more.
 */
final class PeakRss {
  private PeakRss() {}

  /** True where the peak can be reset and read. */
  static boolean available() {
    return Files.isWritable(Path.of("/proc/self/clear_refs"));
  }

  /** MB by which the peak while running {@code r} exceeded the resident size before it. */
  static double aboveStartMb(Runnable r) throws IOException {
    System.gc();
    Files.writeString(Path.of("/proc/self/clear_refs"), "5");
    double before = field("VmRSS:");
    r.run();
    return (field("VmHWM:") - before) / 1024.0;
  }

  private static double field(String name) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith(name)) {
        return Double.parseDouble(l.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no " + name + " in /proc/self/status");
  }
}

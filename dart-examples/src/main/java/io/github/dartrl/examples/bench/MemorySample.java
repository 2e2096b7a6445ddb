package io.github.dartrl.examples.bench;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The memory of this process at one moment, in MiB.
 *
 * @param rss resident set size (Linux {@code VmRSS} of {@code /proc/self/status})
 * @param heapUsed Java heap in use
 * @param heapCommitted Java heap committed
 * @param nonHeapCommitted metaspace, code cache and other JVM-managed non-heap pools
 * @param direct Java direct buffers (DJL keeps arrays made from Java data in them)
 */
record MemorySample(
    double rss, double heapUsed, double heapCommitted, double nonHeapCommitted, double direct) {
  private static final double MIB = 1024.0 * 1024.0;

  /**
   * Resident memory outside the Java heap: libtorch's allocations, direct buffers, metaspace, code,
   * thread stacks. With {@code -Xms = -Xmx} and {@code -XX:+AlwaysPreTouch} (as scripts/soak.sh
   * runs it) the whole committed heap is resident, so RSS minus it is exactly that.
   */
  double nativeMemory() {
    return rss - heapCommitted;
  }

  /** Reads the current values (Linux only: RSS is NaN elsewhere). */
  static MemorySample take() {
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    double direct = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct = pool.getMemoryUsed() / MIB;
      }
    }
    return new MemorySample(
        rssMib(),
        mem.getHeapMemoryUsage().getUsed() / MIB,
        mem.getHeapMemoryUsage().getCommitted() / MIB,
        mem.getNonHeapMemoryUsage().getCommitted() / MIB,
        direct);
  }

  /** As metrics, for plots and CSV. */
  Map<String, Double> values() {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("rss_mib", rss);
    m.put("native_mib", nativeMemory());
    m.put("heap_used_mib", heapUsed);
    m.put("heap_committed_mib", heapCommitted);
    m.put("nonheap_committed_mib", nonHeapCommitted);
    m.put("direct_mib", direct);
    return m;
  }

  /**
   * Asks glibc to return free heap memory to the OS ({@code malloc_trim(0)}); false where that is
   * not available. Used once at the end of a soak to tell memory that is still allocated from
   * memory the allocator merely kept after it was freed.
   */
  static boolean mallocTrim() {
    try {
      com.sun.jna.Function f =
          com.sun.jna.NativeLibrary.getInstance("c").getFunction("malloc_trim");
      f.invokeInt(new Object[] {0});
      return true;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return false;
    }
  }

  private static double rssMib() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024.0; // kB
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return Double.NaN;
  }
}

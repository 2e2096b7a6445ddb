package io.github.dartrl.examples.harness;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run or a benchmark ran on: CPU model, cores, JVM, DJL and libtorch versions, the date, and
 * the load average (a shared machine makes every timing a lower bound). The one machine describer
 * of the experiments (summaries) and the benchmarks (docs/performance.md); Linux files are read
 * when present.
 *
 * @param cpu CPU model as {@code /proc/cpuinfo} names it (with family/model when the name is vague)
 * @param cores processors available to the JVM
 * @param jvm Java runtime version and vendor
 * @param djl DJL version
 * @param libtorch libtorch version of the PyTorch engine
 * @param threads libtorch intra-op threads
 * @param date UTC date and time of the run
 */
public record Machine(
    String cpu, int cores, String jvm, String djl, String libtorch, int threads, String date) {

  /** Describes this machine with its engine versions (the PyTorch engine must be loadable). */
  public static Machine current() {
    Engine engine = Engine.getEngine("PyTorch");
    return new Machine(
        cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")",
        Engine.getDjlVersion(),
        engine.getVersion(),
        ai.djl.pytorch.jni.JniUtils.getNumThreads(),
        ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
  }

  /** The 1-minute load average, or -1 where the OS does not report it. */
  public static double loadAverageOneMinute() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Cores, CPU model, JVM and OS, for a summary (no engine needed). */
  public static Map<String, String> describe() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    m.put("cpu", cpuModel());
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
    return m;
  }

  /** The 1, 5 and 15-minute load averages, or "n/a". */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /**
   * The CPU model as {@code /proc/cpuinfo} names it, with family/model and the widest SIMD level
   * (the name alone is often vague on cloud machines), or the architecture where that file is
   * missing.
   */
  public static String cpuModel() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
      String name = field(lines, "model name");
      String flags = field(lines, "flags");
      String simd =
          flags == null
              ? ""
              : flags.contains(" avx512f") ? ", AVX-512" : flags.contains(" avx2") ? ", AVX2" : "";
      if (name == null) {
        return System.getProperty("os.arch") + simd;
      }
      String family = field(lines, "cpu family");
      String model = field(lines, "model");
      return String.format(Locale.ROOT, "%s (family %s, model %s%s)", name, family, model, simd);
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch");
    }
  }

  private static String field(List<String> lines, String key) {
    for (String l : lines) {
      int colon = l.indexOf(':');
      if (colon > 0 && l.substring(0, colon).trim().equals(key)) {
        return l.substring(colon + 1).trim();
      }
    }
    return null;
  }
}

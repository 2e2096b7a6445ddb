package io.github.dartrl.examples.bench;

import ai.djl.engine.Engine;
import io.github.dartrl.examples.quickstart.Machine;
import java.lang.management.ManagementFactory;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What the figures were measured on: CPU model, cores, JVM, DJL and libtorch versions, the date,
 * and the 1-minute load average (a shared machine makes every timing a lower bound).
 *
 * @param cpu CPU model as {@code /proc/cpuinfo} names it (with family/model when the name is vague)
 * @param cores processors available to the JVM
 * @param jvm Java runtime version and vendor
 * @param djl DJL version
 * @param libtorch libtorch version of the PyTorch engine
 * @param threads libtorch intra-op threads
 * @param date UTC date and time of the run
 */
public record MachineInfo(
    String cpu, int cores, String jvm, String djl, String libtorch, int threads, String date) {

  /** Describes this machine (the PyTorch engine must be loadable). */
  public static MachineInfo current() {
    Engine engine = Engine.getEngine("PyTorch");
    return new MachineInfo(
        Machine.cpuModel(),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")",
        Engine.getDjlVersion(),
        engine.getVersion(),
        ai.djl.pytorch.jni.JniUtils.getNumThreads(),
        ZonedDateTime.now(ZoneOffset.UTC)
            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")));
  }

  /** The 1-minute load average, or -1 where the OS does not report it. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}

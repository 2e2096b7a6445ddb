package io.github.dartrl.examples.distributed;

/**
 * The JVM flags executors need (Spark on Java 17, DJL offline); the driver gets them from scripts.
 */
public final class SparkFlags {
  private SparkFlags() {}

  static final String OPENS =
      "--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED"
          + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED"
          + " --add-opens=java.base/java.util=ALL-UNNAMED"
          + " --add-opens=java.base/java.lang.invoke=ALL-UNNAMED"
          + " --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
          + " --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
          + " --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED"
          + " --add-opens=java.base/sun.nio.cs=ALL-UNNAMED"
          + " --add-opens=java.base/sun.security.action=ALL-UNNAMED"
          + " -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true";

  /** Executors: Spark's flags, DJL offline, no GUI. */
  public static String executorOptions() {
    return OPENS + " -Dai.djl.offline=true -Doffline=true -Djava.awt.headless=true";
  }
}

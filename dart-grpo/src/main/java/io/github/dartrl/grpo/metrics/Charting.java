package io.github.dartrl.grpo.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether charts can be drawn: JFreeChart is an optional dependency of the library (plots are an
 * output of the command line and the reports; an application that only trains need not carry a
 * plotting library). Callers ask here before touching {@link MetricsPlot} or any other class that
 * links against JFreeChart, because loading such a class without it fails with a {@link
 * NoClassDefFoundError} rather than an exception they could catch.
 */
public final class Charting {
  /** A class every chart needs; its presence stands for the whole library. */
  static final String PROBE_CLASS = "org.jfree.chart.JFreeChart";

  private static final Logger LOG = LoggerFactory.getLogger(Charting.class);
  private static volatile Boolean available;

  private Charting() {}

  /**
   * True when JFreeChart is on the class path. The first call that finds it missing logs once that
   * charts are left out and how to get them.
   */
  public static boolean available() {
    Boolean a = available;
    if (a == null) {
      a = present(PROBE_CLASS, Charting.class.getClassLoader());
      if (!a) {
        LOG.info(
            "JFreeChart is not on the class path: charts are left out (add org.jfree:jfreechart"
                + " to the application's dependencies to draw them)");
      }
      available = a;
    }
    return a;
  }

  /** Whether {@code className} can be found by {@code loader}, without initialising it. */
  static boolean present(String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}

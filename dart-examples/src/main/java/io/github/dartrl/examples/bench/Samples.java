package io.github.dartrl.examples.bench;

import java.util.Arrays;

/** Timing helpers: wall time of one run and medians of repeated runs. */
final class Samples {
  private Samples() {}

  /** Wall time of one run in milliseconds. */
  static double timeMs(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return (System.nanoTime() - t0) / 1e6;
  }

  /** Median wall time in ms of {@code runs} runs after {@code warmup} untimed runs. */
  static double medianMs(Runnable r, int warmup, int runs) {
    for (int i = 0; i < warmup; i++) {
      r.run();
    }
    double[] t = new double[Math.max(1, runs)];
    for (int i = 0; i < t.length; i++) {
      t[i] = timeMs(r);
    }
    return median(t);
  }

  /** Median (upper median for an even count); NaN for no values. */
  static double median(double[] xs) {
    if (xs.length == 0) {
      return Double.NaN;
    }
    double[] s = xs.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}

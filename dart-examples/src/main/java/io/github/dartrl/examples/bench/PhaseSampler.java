package io.github.dartrl.examples.bench;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Attributes a child JVM's resident memory to the phases of its scenario: a daemon thread samples
 * {@code VmRSS} every {@value #PERIOD_MS} ms and names the phase from what the watched thread is
 * running (its stack: loading, the rollout's decoding, the π_old/reference forwards, the training
 * forward, the deferred and autograd backward, the optimizer). The largest sample per phase says
 * which phase sets the peak; a sample can miss a peak shorter than the period (VmHWM does not).
 */
final class PhaseSampler implements AutoCloseable {
  static final int PERIOD_MS = 100;
  private final Map<String, Double> peakKb = new LinkedHashMap<>();
  private final Thread sampler;
  private volatile boolean running = true;

  /** Starts sampling while {@code watched} runs the scenario. */
  PhaseSampler(Thread watched) {
    sampler =
        new Thread(
            () -> {
              while (running) {
                String phase = phase(watched.getStackTrace());
                try {
                  double rss = MemoryProbe.status("VmRSS:");
                  synchronized (peakKb) {
                    peakKb.merge(phase, rss, Math::max);
                  }
                  Thread.sleep(PERIOD_MS);
                } catch (IOException | InterruptedException e) {
                  return;
                }
              }
            },
            "memory-phase-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  /** The phase of a stack, innermost frame first. */
  static String phase(StackTraceElement[] stack) {
    for (StackTraceElement e : stack) {
      String c = e.getClassName();
      String m = e.getMethodName();
      if (c.endsWith(".DeferredBackward")
          || c.endsWith(".Checkpointing") && m.contains("ackward")) {
        return "backward";
      }
      if (c.endsWith(".Gradients") && m.equals("backward")) {
        return "backward";
      }
      if (c.endsWith(".GrpoUpdate") && m.equals("oldAndReference")) {
        return "old+reference forwards";
      }
      if (c.endsWith(".OptimizerStep") || c.endsWith(".AdamW")) {
        return "optimizer";
      }
      if (c.endsWith(".GrpoUpdate")) {
        return "training forward";
      }
      if (c.contains(".rollout.") || c.endsWith(".DecodeSession")) {
        return "rollout";
      }
      if (c.endsWith(".HfCheckpoint") || c.contains(".dartrl.core.io.")) {
        return "load";
      }
    }
    return "other";
  }

  /** The largest sampled RSS per phase in kB, in the order the phases were first seen. */
  Map<String, Double> peaks() {
    synchronized (peakKb) {
      return new LinkedHashMap<>(peakKb);
    }
  }

  @Override
  public void close() {
    running = false;
    sampler.interrupt();
  }
}

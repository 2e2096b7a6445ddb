package io.github.dartrl.grpo.sft;

import io.github.dartrl.grpo.metrics.StepMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/** Sums over the SFT steps since the last log line; drains into one averaged metrics record. */
final class SftMetricsWindow {
  private long since;
  private double lossTokens;
  private double lossWeight;
  private double normSum;
  private int norms;
  private long tokens;
  private long trained;

  SftMetricsWindow(long start) {
    this.since = start;
  }

  /** Adds one step: its batch loss (token mean), tokens, trained tokens, pre-clip norm. */
  void add(double loss, long batchTokens, long batchTrained, double norm) {
    if (Double.isFinite(loss)) {
      lossTokens += loss * batchTrained;
      lossWeight += batchTrained;
    }
    if (Double.isFinite(norm)) {
      normSum += norm;
      norms++;
    }
    tokens += batchTokens;
    trained += batchTrained;
  }

  StepMetrics drain(int step, double lr, double epoch, int skipped) {
    long now = System.nanoTime();
    double seconds = Math.max(1e-9, (now - since) / 1e9);
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("sft/loss", lossWeight > 0 ? lossTokens / lossWeight : Double.NaN);
    m.put("sft/lr", lr);
    m.put("sft/grad_norm", norms > 0 ? normSum / norms : Double.NaN);
    m.put("sft/tokens_per_s", tokens / seconds);
    m.put("sft/trained_tokens_per_s", trained / seconds);
    m.put("sft/epoch", epoch);
    m.put("sft/skipped_steps", (double) skipped);
    since = now;
    lossTokens = 0;
    lossWeight = 0;
    normSum = 0;
    norms = 0;
    tokens = 0;
    trained = 0;
    return new StepMetrics(step, m);
  }
}

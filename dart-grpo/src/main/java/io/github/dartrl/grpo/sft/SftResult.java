package io.github.dartrl.grpo.sft;

import io.github.dartrl.grpo.metrics.StepMetrics;
import java.util.List;

/**
 * What {@link SftTrainer#fit} did.
 *
 * @param steps optimizer steps taken (including skipped ones)
 * @param losses the loss curve: token-mean cross-entropy of every step's batch, in order (NaN for a
 *     step whose loss was not finite)
 * @param logged the averaged metrics logged every {@code logEvery} steps
 * @param skippedSteps steps whose loss or gradient was not finite (weights left untouched)
 * @param tokens tokens processed (all roles, padding excluded)
 * @param trainedTokens tokens that carried loss
 * @param seconds wall time of the fit
 */
public record SftResult(
    int steps,
    List<Double> losses,
    List<StepMetrics> logged,
    int skippedSteps,
    long tokens,
    long trainedTokens,
    double seconds) {

  /** Copies the lists. */
  public SftResult {
    losses = List.copyOf(losses);
    logged = List.copyOf(logged);
  }

  /** Mean loss over the last {@code n} finite steps (all steps if fewer), NaN if there are none. */
  public double finalLoss(int n) {
    double sum = 0;
    int k = 0;
    for (int i = losses.size() - 1; i >= 0 && k < n; i--) {
      double v = losses.get(i);
      if (Double.isFinite(v)) {
        sum += v;
        k++;
      }
    }
    return k == 0 ? Double.NaN : sum / k;
  }

  /** Tokens processed per second of wall time. */
  public double tokensPerSecond() {
    return seconds > 0 ? tokens / seconds : Double.NaN;
  }
}

package io.github.dartrl.examples.compare;

import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.train.EvalResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One (method, seed) run of the comparison.
 *
 * @param method the method
 * @param seed the seed (warm start, data order, sampling, adapter init)
 * @param before greedy EM of the warm start on the test split (shared by every method of the seed)
 * @param after greedy EM after GRPO
 * @param steps GRPO steps run
 * @param learningRate the peak learning rate used
 * @param trainableParameters parameters the optimizer updated (both models for TWO_AGENT)
 * @param trainSeconds wall seconds of GRPO
 * @param evalSeconds wall seconds of the evaluation after GRPO
 * @param runDir the trainer's run directory (metrics.jsonl, plots, checkpoints)
 * @param weightsDir where the trained adapters (PEFT) or models (HF) were saved
 * @param history the per-step metrics
 * @param isolated DART only: greedy EM with one adapter for every role ({@link
 *     QuestionOutcome#REASONING_ONLY}, {@link QuestionOutcome#TOOL_ONLY}); empty for the others
 * @param peakRssMb the process's peak resident set at the end of the run (per method only when each
 *     method runs in its own process); NaN where unknown
 */
public record RunResult(
    CompareMethod method,
    long seed,
    EvalResult before,
    EvalResult after,
    int steps,
    double learningRate,
    long trainableParameters,
    double trainSeconds,
    double evalSeconds,
    Path runDir,
    Path weightsDir,
    List<StepMetrics> history,
    Map<String, EvalResult> isolated,
    double peakRssMb) {

  /** Mean of a metric over the first (or last) {@code n} logged steps, NaN if none. */
  public double window(String key, int n, boolean first) {
    int k = Math.min(n, history.size());
    List<StepMetrics> part =
        first ? history.subList(0, k) : history.subList(history.size() - k, history.size());
    return part.stream()
        .filter(m -> m.values().containsKey(key))
        .mapToDouble(m -> m.value(key))
        .filter(Double::isFinite)
        .average()
        .orElse(Double.NaN);
  }

  /** Mean of a metric over all logged steps, NaN if none. */
  public double mean(String key) {
    return window(key, Integer.MAX_VALUE, true);
  }
}

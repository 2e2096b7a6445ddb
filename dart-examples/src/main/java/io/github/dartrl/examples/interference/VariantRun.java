package io.github.dartrl.examples.interference;

import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.train.EvalResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One trained CEA variant.
 *
 * @param name Reas, Tool or Unified
 * @param trainRoles the roles whose tokens carried the GRPO loss
 * @param adapters its single-LoRA adapter directory (the layout {@code VariantSet} loads)
 * @param runDir the GRPO run directory ({@code metrics.jsonl}, plots)
 * @param steps GRPO steps run
 * @param history every step's metrics
 * @param greedy greedy EM on the attribution questions after training
 * @param seconds wall time of training and evaluation
 */
public record VariantRun(
    String name,
    Set<TokenRole> trainRoles,
    Path adapters,
    Path runDir,
    int steps,
    List<StepMetrics> history,
    EvalResult greedy,
    double seconds) {

  public VariantRun {
    trainRoles = Set.copyOf(trainRoles);
    history = List.copyOf(history);
  }

  /** The mean of a metric over the last {@code n} steps (NaN if none has it). */
  public double lastMean(String metric, int n) {
    return history.stream()
        .skip(Math.max(0, history.size() - n))
        .mapToDouble(m -> m.value(metric))
        .filter(Double::isFinite)
        .average()
        .orElse(Double.NaN);
  }

  /** The mean of a metric over all steps (NaN if none has it). */
  public double mean(String metric) {
    return lastMean(metric, history.size());
  }
}

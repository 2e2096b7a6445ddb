package io.github.dartrl.examples.compare;

import io.github.dartrl.grpo.train.EvalResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What the {@code compare} job measured.
 *
 * @param config what ran
 * @param out the output directory
 * @param plan how the step count was chosen
 * @param warmStart greedy EM of each seed's warm start on the test split
 * @param sftFinalLoss each seed's final SFT loss
 * @param runs every (method, seed) run, in the order they ran
 * @param timings seconds per phase, and {@code total}
 * @param environment cores, CPU, Java, OS and the load average at the start and end
 */
public record CompareResult(
    CompareConfig config,
    Path out,
    StepPlan plan,
    Map<Long, EvalResult> warmStart,
    Map<Long, Double> sftFinalLoss,
    List<RunResult> runs,
    Map<String, Double> timings,
    Map<String, String> environment) {

  /** The runs of one method, in seed order. */
  public List<RunResult> runsOf(CompareMethod m) {
    return runs.stream().filter(r -> r.method() == m).toList();
  }
}

package io.github.dartrl.examples.scaling;

import java.util.List;

/**
 * A whole local-versus-distributed measurement: its work per step and its steps.
 *
 * @param prompts prompts per step
 * @param groupSize samples per prompt (G)
 * @param partitions partitions (executors) of the distributed run
 * @param steps the measured steps, in order
 */
public record MeasuredRun(int prompts, int groupSize, int partitions, List<MeasuredStep> steps) {
  public MeasuredRun {
    steps = List.copyOf(steps);
    if (steps.isEmpty()) {
      throw new IllegalArgumentException("no measured steps");
    }
  }

  /** The steps after the first {@code warmUp} (executor JVM start, backbone loads, JIT). */
  public List<MeasuredStep> steady(int warmUp) {
    if (steps.size() <= warmUp) {
      throw new IllegalArgumentException(
          "only " + steps.size() + " measured steps; need more than the " + warmUp + " warm-up");
    }
    return steps.subList(warmUp, steps.size());
  }
}

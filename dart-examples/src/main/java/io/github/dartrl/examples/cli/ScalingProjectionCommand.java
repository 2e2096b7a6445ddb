package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.scaling.MeasuredCosts;
import io.github.dartrl.examples.scaling.ProjectionInputs;
import io.github.dartrl.examples.scaling.ScalingProjection;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dart4j scaling-projection}: a distributed GRPO step of a target setting projected to E
 * executors from measured costs (docs/scaling.md).
 */
@Command(
    name = "scaling-projection",
    mixinStandardHelpOptions = true,
    description =
        "Project a distributed GRPO step to E executors from spark-cluster.sh's measured costs"
            + " and a real-shaped step time.")
public final class ScalingProjectionCommand implements Callable<Integer> {
  @Option(
      names = "--costs",
      required = true,
      description = "costs.jsonl written by spark-cluster.sh, or its printed output (a .log)")
  Path costs;

  @Option(
      names = "--inputs",
      required = true,
      description = "JSON: real-shaped step times, target config, target step (docs/scaling.md)")
  Path inputs;

  @Override
  public Integer call() throws Exception {
    ScalingProjection p =
        new ScalingProjection(MeasuredCosts.read(costs), ProjectionInputs.read(inputs));
    System.out.print(p.report());
    return 0;
  }
}

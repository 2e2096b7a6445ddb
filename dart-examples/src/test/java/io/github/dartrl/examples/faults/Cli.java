package io.github.dartrl.examples.faults;

import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.examples.cli.CliRun;

/** Runs the {@code dart4j} command line in-process, capturing its output. */
final class Cli {
  private Cli() {}

  static FaultCase.CliRun run(String... args) {
    CliRun r = CliRun.of(args);
    return new FaultCase.CliRun(r.exit(), r.out(), r.err());
  }
}

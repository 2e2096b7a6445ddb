package io.github.dartrl.examples.faults;

import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.core.faults.Workspace;
import io.github.dartrl.examples.cli.CliRun;
import java.util.Arrays;

/** Runs the {@code dart4j} command line in-process, capturing its output. */
final class Cli {
  private Cli() {}

  static FaultCase.CliRun run(String... args) {
    CliRun r = CliRun.of(args);
    return new FaultCase.CliRun(r.exit(), r.out(), r.err());
  }

  /**
   * Runs a command line whose arguments name files in {@code w}: {@code {root}} in an argument is
   * replaced by the workspace's root directory, as in expected messages ({@link Workspace#expand}).
   */
  static FaultCase.CliRun runIn(Workspace w, String... args) {
    return run(Arrays.stream(args).map(w::expand).toArray(String[]::new));
  }
}

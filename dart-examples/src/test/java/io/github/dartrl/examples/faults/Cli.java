package io.github.dartrl.examples.faults;

import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.examples.cli.DartCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the {@code dart4j} command line in-process, capturing its output. */
final class Cli {
  private Cli() {}

  static FaultCase.CliRun run(String... args) {
    CommandLine cli = DartCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new FaultCase.CliRun(exit, out.toString(), err.toString());
  }
}

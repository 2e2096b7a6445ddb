package io.github.dartrl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/**
 * One in-process run of the {@code dart4j} command line, as the tests make it: its exit code and
 * what it printed on stdout and stderr.
 *
 * @param exit the exit code
 * @param out what was printed on stdout
 * @param err what was printed on stderr
 */
public record CliRun(int exit, String out, String err) {

  /** Runs {@code dart4j args...} with a fresh command line, capturing its output. */
  public static CliRun of(String... args) {
    CommandLine cli = DartCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /**
   * Runs {@code dart4j command --smoke --out out}: asserts that it exits 0 and that it wrote every
   * one of {@code files} (paths relative to {@code out}).
   */
  public static CliRun smoke(String command, Path out, String... files) {
    CliRun run = of(command, "--smoke", "--out", out.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    for (String f : files) {
      assertThat(out.resolve(f)).as(f).exists();
    }
    return run;
  }

  /** {@link #of(String...)} with the arguments as a list. */
  public static CliRun of(List<String> args) {
    return of(args.toArray(String[]::new));
  }
}

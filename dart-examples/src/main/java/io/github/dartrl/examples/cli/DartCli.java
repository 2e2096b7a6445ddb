package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.NativeSwitches;
import io.github.dartrl.examples.harness.CliErrorHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dart4j} command line. Each subcommand lives in its own class in this package and is
 * registered here.
 */
@Command(
    name = "dart4j",
    mixinStandardHelpOptions = true,
    versionProvider = DartCli.Version.class,
    description = "Agentic RL of LLMs with tool use: DART dual-LoRA, GRPO, LEAS.",
    footer = {
      "",
      "Exit codes: 0 done; 1 bad input or a failed run (one 'error:' line); 2 usage error;"
          + " 3 the JVM failed (out of memory, missing class, stack overflow).",
      "Output directories (--out, index --index) must be absent or empty; relative paths are"
          + " relative to the current directory. JAVA_OPTS=-Ddart4j.stacktrace=true shows stack"
          + " traces."
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      CreateTinyCommand.class,
      GenerateCommand.class,
      ScoreCommand.class,
      IndexCommand.class,
      SearchCommand.class,
      ServeRetrieverCommand.class,
      LeasCommand.class,
      QuickstartCommand.class,
      CompareCommand.class,
      CompareStudyCommand.class,
      InterferenceCommand.class,
      TrainRealCommand.class,
      MergeCommand.class,
      EvalCommand.class,
      BenchCommand.class,
      ScalingProjectionCommand.class
    })
public final class DartCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The version in the jar's manifest (the build's project version). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DartCli.class.getPackage().getImplementationVersion();
      return new String[] {"dart4j " + (v == null ? "(not run from a built jar)" : v)};
    }
  }

  /** Builds the command line with every subcommand registered. */
  public static CommandLine commandLine() {
    return withErrorHandling(new CommandLine(new DartCli()));
  }

  /**
   * Makes {@code cli} report a failure as one {@code error:} line and an exit code instead of a
   * stack trace: 1 for an exception, 3 for an Error of the JVM (out of memory, missing class).
   */
  public static CommandLine withErrorHandling(CommandLine cli) {
    return CliErrorHandler.withErrorHandling(cli);
  }

  public static void main(String[] args) {
    // DJL must never try the network: no model zoo, no usage ping, no native download.
    System.setProperty("offline", "true");
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("java.awt.headless", "true");
    NativeSwitches.apply(); // before any tensor: MKL CNR kernels, huge pages, if asked for

    System.exit(commandLine().execute(args));
  }
}

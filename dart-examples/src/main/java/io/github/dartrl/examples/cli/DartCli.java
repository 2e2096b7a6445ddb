package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.NativeSwitches;
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
      InterferenceCommand.class,
      TrainRealCommand.class,
      BenchCommand.class
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
    CommandLine cli = new CommandLine(new DartCli());
    cli.setExecutionExceptionHandler(new CliErrorHandler());
    return cli;
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

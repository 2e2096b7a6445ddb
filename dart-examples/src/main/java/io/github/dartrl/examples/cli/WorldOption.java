package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.quickstart.QuickstartConfig;
import io.github.dartrl.examples.quickstart.WorldPreset;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The {@code --world} option of the jobs that generate a world (docs/world.md). */
final class WorldOption {
  @Option(
      names = "--world",
      paramLabel = "NAME",
      defaultValue = "default",
      description =
          "world preset: default (the bundled world) or conflict (people searched by registry"
              + " aliases, docs/world.md; default: ${DEFAULT-VALUE})")
  String world;

  /** The preset named by {@code --world}; an unknown name is a usage error (exit code 2). */
  WorldPreset preset(CommandLine cmd) {
    try {
      return WorldPreset.of(world);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cmd, "--world: " + e.getMessage());
    }
  }

  /** {@code c} on the chosen world. */
  QuickstartConfig apply(QuickstartConfig c, CommandLine cmd) {
    return preset(cmd).apply(c);
  }
}

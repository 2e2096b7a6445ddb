package io.github.dartrl.examples.quickstart;

import io.github.dartrl.examples.world.DemonstrationConfig;
import io.github.dartrl.examples.world.WorldConfig;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The named worlds a job can run on ({@code --world}): the bundled world, and the conflict world in
 * which search calls and reasoning need the same name words mapped in opposite directions ({@link
 * WorldConfig#conflict()}, docs/world.md). A preset changes a config's world knobs and
 * demonstration mix and keeps its size, so {@code --smoke --world conflict} is the small world with
 * the conflict knob on.
 */
public enum WorldPreset {
  /** The bundled world (the negative control): the config as it is. */
  DEFAULT,
  /**
   * The alias index on and the conflict demonstration mix ({@link DemonstrationConfig#conflict}).
   */
  CONFLICT;

  /** The lower-case name used on the command line. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The preset of {@code key}.
   *
   * @throws IllegalArgumentException naming the known presets when {@code key} is none of them
   */
  public static WorldPreset of(String key) {
    for (WorldPreset p : values()) {
      if (p.key().equals(key)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown world "
            + key
            + "; expected one of "
            + Arrays.stream(values()).map(WorldPreset::key).collect(Collectors.joining(", ")));
  }

  /** {@code c} on this world, its sizes, seeds and training knobs unchanged. */
  public QuickstartConfig apply(QuickstartConfig c) {
    return switch (this) {
      case DEFAULT -> c;
      case CONFLICT ->
          c.withWorld(c.world().withAliasIndex(true))
              .withDemonstrations(
                  DemonstrationConfig.conflict().withSeed(c.demonstrations().seed()));
    };
  }
}

package io.github.dartrl.examples.world;

import java.util.HashMap;
import java.util.Map;

/** Shared fixtures: the small world is generated once per JVM (generation is deterministic). */
final class Worlds {

  private static final Map<WorldConfig, World> CACHE = new HashMap<>();

  private Worlds() {}

  static synchronized World of(WorldConfig config) {
    return CACHE.computeIfAbsent(config, World::generate);
  }

  static World small() {
    return of(WorldConfig.small());
  }

  /** Whether {@code phrase} occurs in space-separated {@code text} as whole tokens. */
  static boolean mentions(String text, String phrase) {
    return (" " + text.replace('\n', ' ') + " ").contains(" " + phrase + " ");
  }
}

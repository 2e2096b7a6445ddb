package io.github.dartrl.examples.world;

import java.util.Objects;

/**
 * One named entity.
 *
 * @param name unique over the whole world; one or two lower-case words of letters
 * @param type its kind
 * @param owner the split that owns it, or {@code null} for background entities shared by all splits
 *     (countries, capitals, rivers)
 */
public record Entity(String name, EntityType type, Split owner) {

  /** Validates the name and type. */
  public Entity {
    Objects.requireNonNull(type, "type");
    if (name == null || !name.matches("[a-z]+( [a-z]+)?")) {
      throw new IllegalArgumentException("entity name must be 1-2 lower-case words: " + name);
    }
  }

  /** Whether all splits share this entity. */
  public boolean isBackground() {
    return owner == null;
  }
}

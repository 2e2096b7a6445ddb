package io.github.dartrl.examples.world;

import java.util.Objects;

/**
 * One triple of the knowledge base, e.g. {@code (kavor miltren, BORN_IN, karvo haven)}.
 *
 * @param subject the subject entity's name
 * @param relation the relation
 * @param object the object entity's name, or the literal value
 */
public record Fact(String subject, Relation relation, String object) {

  /** Validates that no component is null. */
  public Fact {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(relation, "relation");
    Objects.requireNonNull(object, "object");
  }
}

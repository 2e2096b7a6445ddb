package io.github.dartrl.examples.world;

import java.util.Locale;

/**
 * The relations of the knowledge base. The object is an entity of {@link #objectType()} or, when
 * that is {@code null}, a literal value (a year or an occupation word).
 */
public enum Relation {
  /** person → city (never a capital). */
  BORN_IN(EntityType.PERSON, EntityType.CITY),
  /** person → year, e.g. "1967". */
  BIRTH_YEAR(EntityType.PERSON, null),
  /** person → occupation word, e.g. "painter". */
  OCCUPATION(EntityType.PERSON, null),
  /** person → company of the same split. */
  WORKS_FOR(EntityType.PERSON, EntityType.COMPANY),
  /** person → person of the same split; symmetric (both directions are facts). */
  SPOUSE(EntityType.PERSON, EntityType.PERSON),
  /** company → city of the same split. */
  HEADQUARTERED_IN(EntityType.COMPANY, EntityType.CITY),
  /** company → year. */
  FOUNDED_YEAR(EntityType.COMPANY, null),
  /** city → country. */
  LOCATED_IN(EntityType.CITY, EntityType.COUNTRY),
  /** city → river of the city's country. */
  ON_RIVER(EntityType.CITY, EntityType.RIVER),
  /** country → its capital city. */
  CAPITAL(EntityType.COUNTRY, EntityType.CITY),
  /** river → country. */
  FLOWS_THROUGH(EntityType.RIVER, EntityType.COUNTRY),
  /**
   * city → number of inhabitants, e.g. "48000". Table-only: a column of the world's {@code cities}
   * table ({@link WorldTables}), never a knowledge-base fact and never in a passage.
   */
  POPULATION(EntityType.CITY, null),
  /** company → number of employees, e.g. "340". Table-only, like {@link #POPULATION}. */
  EMPLOYEES(EntityType.COMPANY, null);

  private final EntityType subjectType;
  private final EntityType objectType;

  Relation(EntityType subjectType, EntityType objectType) {
    this.subjectType = subjectType;
    this.objectType = objectType;
  }

  /** The type of the subject. */
  public EntityType subjectType() {
    return subjectType;
  }

  /** The type of the object, or {@code null} when the object is a literal value. */
  public EntityType objectType() {
    return objectType;
  }

  /** Whether this relation lives only in the world's SQL tables (not in facts or passages). */
  public boolean tableOnly() {
    return this == POPULATION || this == EMPLOYEES;
  }

  /** The name used in the QA files, e.g. {@code born_in}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}

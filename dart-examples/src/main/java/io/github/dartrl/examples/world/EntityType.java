package io.github.dartrl.examples.world;

/** The kinds of fictional entity in the knowledge base. */
public enum EntityType {
  /** "first last", both from shared syllable-built name pools; split-owned. */
  PERSON,
  /** "stem suffix" (e.g. "karvo haven") and split-owned, or a one-word background capital. */
  CITY,
  /** "stem kind" (e.g. "talvi mining"); split-owned. */
  COMPANY,
  /** One syllable-built word; background. */
  COUNTRY,
  /** "stem river" (e.g. "kelva river"); background. */
  RIVER
}

package io.github.dartrl.examples.world;

/**
 * A question split. People, non-capital cities and companies are each owned by exactly one split; a
 * split's questions only name entities it owns or background entities (countries, capitals,
 * rivers), so nothing a model sees in train questions names a test entity.
 */
public enum Split {
  TRAIN,
  DEV,
  TEST;

  /** The lower-case name used in ids and file names: {@code train}, {@code dev}, {@code test}. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The FlashRAG file of this split, e.g. {@code train.jsonl}. */
  public String fileName() {
    return key() + ".jsonl";
  }
}

package io.github.dartrl.examples.world;

/**
 * How a scripted demonstration departs from the ideal search-then-answer path. The flaws are
 * deliberate: SFT copies them, so the warm-started policy keeps making them some of the time, and
 * GRPO's outcome reward can teach it not to.
 */
public enum DemonstrationFlaw {
  /** Searches every hop's entity by its full name and answers from what it read. */
  NONE,
  /** A retrieval question answered without searching: the answer is a guess. */
  NO_SEARCH,
  /**
   * The first search names only part of the entity (one word of its name): the answer is read if
   * the retrieved passages happen to contain it, else guessed.
   */
  WRONG_ENTITY,
  /** A two-hop question answered after the first search only: the answer is a guess. */
  SKIPPED_HOP,
  /**
   * A search-then-SQL question answered after the search without querying the table: the answer is
   * a guess.
   */
  SKIPPED_SQL,
  /**
   * A search-then-SQL question whose query selects the wrong column ({@code founded} instead of the
   * asked one): it answers the year the table returns.
   */
  WRONG_COLUMN,
  /**
   * With an alias index ({@link WorldAliases}): a retrieval question whose answer names an entity
   * states what it last read in the index's alias form and answers with the alias, which is wrong
   * (the reasoning that forgot to decode; the mirror of a {@link #WRONG_ENTITY} search of the plain
   * name, the tool call that forgot to encode).
   */
  ALIAS_ANSWER
}

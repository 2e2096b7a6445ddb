package io.github.dartrl.examples.world;

import io.github.dartrl.grpo.sft.Demonstration;
import java.util.List;

/**
 * One scripted demonstration of a world question.
 *
 * @param question the question it answers
 * @param flaw how it departs from the ideal path
 * @param queries the searches it makes, in order (the retriever's input)
 * @param answer the answer it gives
 * @param correct whether that answer is a golden answer
 * @param demonstration token ids and roles, as a rollout would record them
 */
public record ScriptedDemonstration(
    WorldQuestion question,
    DemonstrationFlaw flaw,
    List<String> queries,
    String answer,
    boolean correct,
    Demonstration demonstration) {

  /** Copies the query list. */
  public ScriptedDemonstration {
    queries = List.copyOf(queries);
  }
}

package io.github.dartrl.examples.world;

import io.github.dartrl.grpo.sft.Demonstration;
import java.util.List;

/**
 * One scripted demonstration of a world question.
 *
 * @param question the question it answers
 * @param flaw how it departs from the ideal path
 * @param queries the searches it makes, in order (the retriever's input)
 * @param sqlCalls the SQL calls it makes, in order (the SQL tool's input); empty for a question
 *     that is not search-then-SQL
 * @param answer the answer it gives
 * @param correct whether that answer is a golden answer
 * @param demonstration token ids and roles, as a rollout would record them
 */
public record ScriptedDemonstration(
    WorldQuestion question,
    DemonstrationFlaw flaw,
    List<String> queries,
    List<String> sqlCalls,
    String answer,
    boolean correct,
    Demonstration demonstration) {

  /** Copies the call lists. */
  public ScriptedDemonstration {
    queries = List.copyOf(queries);
    sqlCalls = List.copyOf(sqlCalls);
  }
}

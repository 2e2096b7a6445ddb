package io.github.dartrl.examples.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.grpo.train.Evaluator;
import io.github.dartrl.grpo.train.QuestionResult;
import io.github.dartrl.grpo.train.Trainer;
import java.util.function.Consumer;

/**
 * Greedy evaluation of the examples' runs: an {@link Evaluator} (the trainer's, or one built
 * without a trainer) whose progress lines, with the running EM, rate and ETA, are labelled with the
 * phase.
 */
public final class Evaluation {
  private Evaluation() {}

  /** Evaluates {@code data} greedily with {@code trainer}'s policies and settings. */
  public static EvalResult run(Trainer trainer, QaDataset data, String label) {
    return run(trainer.evaluator(), data, label);
  }

  /** Evaluates {@code data} with {@code evaluator}; {@code label} names the progress lines. */
  public static EvalResult run(Evaluator evaluator, QaDataset data, String label) {
    return run(evaluator, data, label, q -> {});
  }

  /**
   * As {@link #run(Evaluator, QaDataset, String)}, giving each question's result to {@code sink}.
   */
  public static EvalResult run(
      Evaluator evaluator, QaDataset data, String label, Consumer<QuestionResult> sink) {
    return evaluator.labelled("eval (" + label + ")").evaluate(data, sink);
  }

  /**
   * Evaluates {@code data} with {@code trainer}'s evaluator, counting in {@code use} the questions
   * whose response made a complete call of one tool.
   */
  public static EvalResult run(Trainer trainer, QaDataset data, String label, ToolUse use) {
    return trainer.evaluator().labelled("eval (" + label + ")").evaluate(data, use);
  }

  /** The result as the reports write it: EM overall and per data_source, search and turn rates. */
  public static ObjectNode toJson(EvalResult e, ObjectMapper json) {
    ObjectNode n = json.createObjectNode();
    n.put("em", e.exactMatch());
    n.set("em_by_source", json.valueToTree(e.exactMatchBySource()));
    n.set("count_by_source", json.valueToTree(e.countBySource()));
    n.put("search_rate", e.searchRate());
    n.put("mean_turns", e.meanTurns());
    n.put("truncated_rate", e.truncatedRate());
    return n;
  }
}

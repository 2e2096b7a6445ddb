package io.github.dartrl.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.examples.harness.QuestionResultsFile;
import io.github.dartrl.grpo.metrics.CsvWriter;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.grpo.train.QuestionResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of {@code dart4j eval}, each written atomically: {@code eval.json} (settings, EM
 * overall and per data_source, search and turn rates), {@code em_by_source.csv} (one row per
 * data_source and an {@code all} row) and {@code results.jsonl} (one line per question, in the
 * file's order).
 */
final class EvalReport {
  static final String SUMMARY = "eval.json";
  static final String CSV = "em_by_source.csv";
  static final String RESULTS = "results.jsonl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private EvalReport() {}

  /** What was evaluated, and how (null where not given). */
  record Settings(
      Path model,
      Path adapters,
      Method evalAs,
      Path toolModel,
      Path data,
      String retriever,
      String template,
      String reward,
      RolloutConfig rollout,
      long seed,
      int batchSize) {}

  static void write(Path out, Settings s, EvalResult r, List<QuestionResult> rows, double seconds)
      throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("model", s.model().toAbsolutePath().toString());
    n.put("adapters", s.adapters() == null ? null : s.adapters().toAbsolutePath().toString());
    n.put("eval_as", s.evalAs() == null ? null : s.evalAs().name());
    n.put("tool_model", s.toolModel() == null ? null : s.toolModel().toAbsolutePath().toString());
    n.put("data", s.data().toAbsolutePath().toString());
    n.put("questions", rows.size());
    n.put("retriever", s.retriever());
    n.put("template", s.template());
    n.put("reward", s.reward());
    n.put("greedy", s.rollout().temperature() == 0);
    n.put("temperature", s.rollout().temperature());
    n.put("top_p", s.rollout().topP());
    n.put("seed", s.seed());
    n.put("max_turns", s.rollout().maxTurns());
    n.put("turn_tokens", s.rollout().maxTurnTokens());
    n.put("observation_tokens", s.rollout().maxObservationTokens());
    n.put("topk", s.rollout().topK());
    n.put("batch_size", s.batchSize());
    n.put("em", r.exactMatch());
    n.set("em_by_source", JSON.valueToTree(r.exactMatchBySource()));
    n.set("count_by_source", JSON.valueToTree(r.countBySource()));
    n.put("mean_reward", r.meanReward());
    n.put("search_rate", r.searchRate());
    n.put("mean_turns", r.meanTurns());
    n.put("truncated_rate", r.truncatedRate());
    n.put("seconds", seconds);
    byte[] summary = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(n);
    AtomicFiles.write(out.resolve(SUMMARY), o -> o.write(summary));

    List<List<Object>> csv = new ArrayList<>();
    r.countBySource()
        .forEach((k, count) -> csv.add(List.of(k, count, r.exactMatchBySource().get(k))));
    csv.add(List.of("all", rows.size(), r.exactMatch()));
    CsvWriter.write(out.resolve(CSV), List.of("data_source", "questions", "em"), csv);

    QuestionResultsFile.write(out.resolve(RESULTS), rows);
  }
}

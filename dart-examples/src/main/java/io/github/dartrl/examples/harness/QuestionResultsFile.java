package io.github.dartrl.examples.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.grpo.train.QuestionResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One evaluation's per-question results as JSONL (index, id, question, data_source, golden answers,
 * the model's response, EM, reward, turns, searches, truncated): what {@code dart4j eval} writes as
 * {@code results.jsonl} and the quickstart keeps for its final evaluation, so that the two can be
 * compared response by response.
 */
public final class QuestionResultsFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private QuestionResultsFile() {}

  /** Writes {@code rows} to {@code file} atomically, one JSON object a line. */
  public static void write(Path file, List<QuestionResult> rows) throws IOException {
    StringBuilder lines = new StringBuilder();
    for (QuestionResult q : rows) {
      ObjectNode line = JSON.createObjectNode();
      line.put("index", q.index());
      line.put("id", q.example().id());
      line.put("question", q.example().question());
      line.put("data_source", q.example().dataSource());
      line.set("golden_answers", JSON.valueToTree(q.example().goldenAnswers()));
      line.put("response", q.response());
      line.put("em", q.exactMatch());
      line.put("reward", q.reward());
      line.put("turns", q.turns());
      line.put("searches", q.searches());
      line.put("truncated", q.truncated());
      lines.append(JSON.writeValueAsString(line)).append('\n');
    }
    byte[] jsonl = lines.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, o -> o.write(jsonl));
  }
}

package io.github.dartrl.examples.world;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes questions as FlashRAG JSONL, one object per line:
 *
 * <pre>{@code
 * {"id": "test_0", "question": "in which country was kavor miltren born ?",
 *  "golden_answers": ["velandia"], "data_source": "twohop", "template": "born_in.located_in",
 *  "hops": [{"query": "kavor miltren", "relation": "born_in", "answer": "karvo haven"},
 *           {"query": "karvo haven", "relation": "located_in", "answer": "velandia"}]}
 * }</pre>
 *
 * <p>{@code id}, {@code question}, {@code golden_answers} and {@code data_source} are the fields
 * FlashRAG and Search-R1 readers use; {@code template} and {@code hops} are extras such readers
 * ignore, kept for scripting demonstrations and for per-template evaluation.
 */
public final class QaJsonlWriter {

  private QaJsonlWriter() {}

  /**
   * Writes {@code questions} to {@code file}, atomically.
   *
   * @throws java.io.UncheckedIOException when the file cannot be written
   */
  public static void write(Path file, List<WorldQuestion> questions) {
    JsonFiles.writeAtomically(file, bytes(questions));
  }

  /** The JSON object of one question, fields in the order above. */
  public static ObjectNode toJson(WorldQuestion q) {
    ObjectNode node = JsonFiles.MAPPER.createObjectNode();
    node.put("id", q.id());
    node.put("question", q.question());
    ArrayNode answers = node.putArray("golden_answers");
    q.goldenAnswers().forEach(answers::add);
    node.put("data_source", q.dataSource());
    node.put("template", q.template());
    ArrayNode hops = node.putArray("hops");
    for (WorldQuestion.Hop hop : q.hops()) {
      hops.addObject()
          .put("query", hop.query())
          .put("relation", hop.relation().key())
          .put("answer", hop.answer());
    }
    return node;
  }

  static byte[] bytes(List<WorldQuestion> questions) {
    return JsonFiles.jsonLines(questions.stream().map(QaJsonlWriter::toJson).toList());
  }
}

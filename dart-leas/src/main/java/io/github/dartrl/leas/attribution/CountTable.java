package io.github.dartrl.leas.attribution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.io.UntrustedJson;
import io.github.dartrl.leas.variant.CeaModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The input of the attribution: EM counts per question and model. Stored as JSONL, one question a
 * line:
 *
 * <pre>{@code
 * {"id":"q1","question":"...","k":{"Base":3,"Reas":9,...,"H_Reas":7},"n":{"Base":50,...}}
 * }</pre>
 *
 * @param questions one entry per question, ids unique
 */
public record CountTable(List<QuestionCounts> questions) {
  private static final ObjectMapper JSON = UntrustedJson.newMapper();

  public CountTable {
    questions = List.copyOf(questions);
    Set<String> ids = new HashSet<>();
    for (QuestionCounts q : questions) {
      if (!ids.add(q.id())) {
        throw new IllegalArgumentException("duplicate question id " + q.id());
      }
    }
  }

  public int size() {
    return questions.size();
  }

  /** Writes the table as JSONL (atomically). */
  public void write(Path file) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          for (QuestionCounts q : questions) {
            w.write(JSON.writeValueAsString(toJson(q)));
            w.write('\n');
          }
          w.flush();
        });
  }

  private static ObjectNode toJson(QuestionCounts q) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", q.id());
    n.put("question", q.question());
    ObjectNode k = n.putObject("k");
    ObjectNode s = n.putObject("n");
    for (CeaModel m : CeaModel.values()) {
      k.put(m.label(), q.correct(m));
      s.put(m.label(), q.samples(m));
    }
    return n;
  }

  /**
   * Reads a table written by {@link #write}; every error names the file and line.
   *
   * @throws IllegalArgumentException on a malformed line, a missing model or an invalid count
   */
  public static CountTable read(Path file) throws IOException {
    List<QuestionCounts> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(parse(JSON.readTree(line)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
          throw new IllegalArgumentException(
              file + " line " + no + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        }
      }
    }
    return new CountTable(out);
  }

  private static QuestionCounts parse(JsonNode n) {
    if (n == null || !n.isObject() || !n.path("id").isValueNode()) {
      throw new IllegalArgumentException("expected an object with an \"id\"");
    }
    Map<CeaModel, Integer> k = new EnumMap<>(CeaModel.class);
    Map<CeaModel, Integer> s = new EnumMap<>(CeaModel.class);
    for (CeaModel m : CeaModel.values()) {
      k.put(m, count(n, "k", m));
      s.put(m, count(n, "n", m));
    }
    return QuestionCounts.of(n.get("id").asText(), n.path("question").asText(""), k, s);
  }

  private static int count(JsonNode n, String field, CeaModel m) {
    JsonNode v = n.path(field).get(m.label());
    if (v == null || !v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(
          "\"" + field + "\"." + m.label() + " must be an integer, got " + v);
    }
    return v.asInt();
  }
}

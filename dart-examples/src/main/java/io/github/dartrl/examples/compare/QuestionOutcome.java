package io.github.dartrl.examples.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One test question's greedy outcome in one evaluation of the comparison: a line of {@value #FILE},
 * appended as each evaluation ends, so that CIs and paired tests over questions can be computed
 * over any set of runs ({@link CompareStudy}).
 *
 * @param seed the run's seed
 * @param method the method's name, or {@value #WARM_START} for the warm start
 * @param variant {@value #AFTER} (the trained policy), {@value #REASONING_ONLY} or {@value
 *     #TOOL_ONLY} (DART evaluated with one adapter for every role, the paper's isolated
 *     capabilities), or {@value #BEFORE} for the warm start
 * @param id the question's id
 * @param dataSource its {@code data_source}
 * @param correct exact match
 */
public record QuestionOutcome(
    long seed, String method, String variant, String id, String dataSource, boolean correct) {

  /** The file every evaluation's outcomes are appended to. */
  public static final String FILE = "questions.jsonl";

  public static final String WARM_START = "WARM_START";
  public static final String BEFORE = "before";
  public static final String AFTER = "after";
  public static final String REASONING_ONLY = "reasoning_only";
  public static final String TOOL_ONLY = "tool_only";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validates that no text is null. */
  public QuestionOutcome {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(dataSource, "dataSource");
  }

  /** Appends {@code outcomes} to {@code file} (created if absent), one JSON object per line. */
  public static void append(Path file, List<QuestionOutcome> outcomes) {
    StringBuilder sb = new StringBuilder();
    for (QuestionOutcome o : outcomes) {
      ObjectNode n = JSON.createObjectNode();
      n.put("seed", o.seed);
      n.put("method", o.method);
      n.put("variant", o.variant);
      n.put("id", o.id);
      n.put("data_source", o.dataSource);
      n.put("em", o.correct ? 1 : 0);
      sb.append(n).append('\n');
    }
    try {
      Files.writeString(
          file,
          sb,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.SYNC);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads {@code file}.
   *
   * @throws IllegalArgumentException naming the file and line of a malformed line
   */
  public static List<QuestionOutcome> read(Path file) throws IOException {
    List<QuestionOutcome> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        JsonNode n = JSON.readTree(lines.get(i));
        out.add(
            new QuestionOutcome(
                n.get("seed").asLong(),
                n.get("method").asText(),
                n.get("variant").asText(),
                n.get("id").asText(),
                n.get("data_source").asText(),
                n.get("em").asInt() == 1));
      } catch (RuntimeException | IOException e) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (i + 1)
                + ": expected {seed, method, variant, id, data_source, em}: "
                + e.getMessage(),
            e);
      }
    }
    return out;
  }
}

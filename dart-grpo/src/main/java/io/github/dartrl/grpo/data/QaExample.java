package io.github.dartrl.grpo.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One question with its accepted answers, as in a FlashRAG / Search-R1 QA file.
 *
 * @param id the example's id, unique within its dataset; non-empty
 * @param question the question text; not blank
 * @param goldenAnswers the accepted answers, at least one, none blank
 * @param dataSource the dataset it came from (for per-source metrics); {@value #UNKNOWN_SOURCE}
 *     when not given
 * @param extra every other field of the JSON line (for example FlashRAG's {@code metadata}), as
 *     Jackson maps, lists, strings, numbers, booleans and nulls, in file order; written back
 *     unchanged. A shallow, unmodifiable copy.
 */
public record QaExample(
    String id,
    String question,
    List<String> goldenAnswers,
    String dataSource,
    Map<String, Object> extra) {

  /** The {@code dataSource} of examples whose line has none. */
  public static final String UNKNOWN_SOURCE = "unknown";

  /** The JSON fields the record's components are stored under; {@code extra} may not use them. */
  public static final Set<String> RESERVED_FIELDS =
      Set.of("id", "question", "golden_answers", "data_source");

  /** Validates and copies. */
  public QaExample {
    Objects.requireNonNull(id, "id");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("id is empty");
    }
    Objects.requireNonNull(question, "question");
    if (question.isBlank()) {
      throw new IllegalArgumentException("question is blank (id " + id + ")");
    }
    goldenAnswers = List.copyOf(Objects.requireNonNull(goldenAnswers, "goldenAnswers"));
    if (goldenAnswers.isEmpty()) {
      throw new IllegalArgumentException("no golden answers (id " + id + ")");
    }
    for (String answer : goldenAnswers) {
      if (answer.isBlank()) {
        throw new IllegalArgumentException("a golden answer is blank (id " + id + ")");
      }
    }
    dataSource = dataSource == null ? UNKNOWN_SOURCE : dataSource;
    // LinkedHashMap rather than Map.copyOf: keeps file order and allows JSON nulls.
    Map<String, Object> copy = new LinkedHashMap<>(extra == null ? Map.of() : extra);
    for (String key : copy.keySet()) {
      if (RESERVED_FIELDS.contains(key)) {
        throw new IllegalArgumentException("extra may not hold the field \"" + key + "\"");
      }
    }
    extra = Collections.unmodifiableMap(copy);
  }

  /**
   * An example with no source and no extra fields.
   *
   * @param id the id
   * @param question the question
   * @param goldenAnswers the accepted answers
   */
  public static QaExample of(String id, String question, List<String> goldenAnswers) {
    return new QaExample(id, question, goldenAnswers, UNKNOWN_SOURCE, Map.of());
  }
}

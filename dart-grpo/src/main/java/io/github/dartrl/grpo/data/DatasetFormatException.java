package io.github.dartrl.grpo.data;

import java.nio.file.Path;

/**
 * A QA dataset file that cannot be read; the message names the file, the 1-based line number, the
 * field and what was expected, for example {@code train.jsonl:12: field "golden_answers": expected
 * a non-empty array of strings or a string, got number}.
 */
public final class DatasetFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long line;
  private final String field;

  /**
   * Creates the exception.
   *
   * @param file the dataset file
   * @param line the 1-based line number, or 0 when the problem is the file as a whole
   * @param field the JSON field at fault, or null when the problem is the line as a whole
   * @param reason what was expected and what was found
   * @param cause the parser's exception, or null
   */
  public DatasetFormatException(
      Path file, long line, String field, String reason, Throwable cause) {
    super(message(file, line, field, reason), cause);
    this.file = file;
    this.line = line;
    this.field = field;
  }

  private static String message(Path file, long line, String field, String reason) {
    StringBuilder sb = new StringBuilder().append(file);
    if (line > 0) {
      sb.append(':').append(line);
    }
    sb.append(": ");
    if (field != null) {
      sb.append("field \"").append(field).append("\": ");
    }
    return sb.append(reason).toString();
  }

  /** The dataset file. */
  public Path file() {
    return file;
  }

  /** The 1-based line number, or 0 when the problem is the file as a whole. */
  public long line() {
    return line;
  }

  /** The JSON field at fault, or null. */
  public String field() {
    return field;
  }
}

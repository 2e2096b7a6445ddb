package io.github.dartrl.core.text;

import java.nio.file.Path;

/**
 * A tokenizer file ({@code tokenizer.json}, {@code tokenizer_config.json}, {@code
 * generation_config.json}) is missing, is not valid JSON, or has a field with an unusable value.
 * The message names the file and, where one is at fault, the field (as a JSON path such as {@code
 * added_tokens[3].id}).
 */
public class TokenizerFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String field;

  /**
   * @param file the offending file
   * @param field the offending field as a JSON path, or {@code null} when the whole file is at
   *     fault
   * @param problem what is wrong, in words
   */
  public TokenizerFormatException(Path file, String field, String problem) {
    this(file, field, problem, null);
  }

  /**
   * @param file the offending file
   * @param field the offending field as a JSON path, or {@code null} when the whole file is at
   *     fault
   * @param problem what is wrong, in words
   * @param cause the underlying exception, or {@code null}
   */
  public TokenizerFormatException(Path file, String field, String problem, Throwable cause) {
    super(file + ": " + (field == null ? "" : "field '" + field + "': ") + problem, cause);
    this.file = file;
    this.field = field;
  }

  /** The file at fault. */
  public Path file() {
    return file;
  }

  /** The field at fault as a JSON path, or {@code null} when the whole file is at fault. */
  public String field() {
    return field;
  }
}

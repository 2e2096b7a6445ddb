package io.github.dartrl.core.io;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A model or adapter file on disk is malformed: the typed error of every reader in this package.
 *
 * <p>The message always names the {@linkplain #file() file}, the {@linkplain #field() field} (a
 * tensor name, a JSON key, or a structural part such as {@code "header length"}) when there is one,
 * and what was expected versus what was found, so a user can fix a checkpoint without a debugger.
 * It is unchecked because a bad checkpoint is not something a caller can recover from locally.
 */
public class ModelFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final String field;

  /**
   * Creates the exception.
   *
   * @param file the offending file (or model directory)
   * @param field the tensor name or JSON field at fault, or {@code null} if the whole file is bad
   * @param message what was expected and what was found
   */
  public ModelFormatException(Path file, String field, String message) {
    this(file, field, message, null);
  }

  /**
   * Creates the exception with an underlying cause (for example a JSON parse error).
   *
   * @param file the offending file (or model directory)
   * @param field the tensor name or JSON field at fault, or {@code null} if the whole file is bad
   * @param message what was expected and what was found
   * @param cause the underlying error, may be {@code null}
   */
  public ModelFormatException(Path file, String field, String message, Throwable cause) {
    super(format(file, field, message), cause);
    this.file = Objects.requireNonNull(file, "file");
    this.field = field;
  }

  /**
   * A JSON file (config.json, adapter_config.json, dart.json, ...) that does not parse: the message
   * gives the line and column, which Jackson's own message hides for files.
   *
   * @param file the file being parsed
   * @param e the parser's error
   */
  public static ModelFormatException malformedJson(Path file, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    return new ModelFormatException(
        file,
        null,
        "expected a JSON object, found malformed JSON" + where + ": " + e.getOriginalMessage(),
        e);
  }

  /** Returns the offending file (or model directory). */
  public Path file() {
    return file;
  }

  /** Returns the tensor name or JSON field at fault, or {@code null} if none applies. */
  public String field() {
    return field;
  }

  private static String format(Path file, String field, String message) {
    String where = field == null ? String.valueOf(file) : file + " [" + field + "]";
    return where + ": " + message;
  }
}

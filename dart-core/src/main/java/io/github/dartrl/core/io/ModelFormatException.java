package io.github.dartrl.core.io;

import java.nio.file.Path;

/** A model or adapter file is malformed or does not match what was expected. */
public class ModelFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final String field;

  public ModelFormatException(Path file, String field, String message) {
    this(file, field, message, null);
  }

  public ModelFormatException(Path file, String field, String message, Throwable cause) {
    super(file + (field == null ? "" : " [" + field + "]") + ": " + message, cause);
    this.file = file;
    this.field = field;
  }

  public Path file() {
    return file;
  }

  public String field() {
    return field;
  }
}

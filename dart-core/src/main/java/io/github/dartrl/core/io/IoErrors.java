package io.github.dartrl.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;

/**
 * Wraps I/O failures without losing the operating system's reason: "cannot write X" alone hides
 * whether the disk is full, the file system read-only or the path a directory.
 */
public final class IoErrors {
  private IoErrors() {}

  /**
   * An unchecked exception whose message is {@code what} followed by the reason, e.g. {@code cannot
   * write /out/a.json: /out/.a.json.123.tmp: No space left on device}.
   */
  public static UncheckedIOException unchecked(String what, IOException e) {
    return new UncheckedIOException(what + ": " + reason(e), e);
  }

  /**
   * The reason of {@code e}: its message, plus the exception's kind when the message is only a path
   * (e.g. {@code AccessDeniedException} or {@code NoSuchFileException} without a reason).
   */
  public static String reason(IOException e) {
    String message = e.getMessage();
    if (message == null || message.isBlank()) {
      return e.getClass().getSimpleName();
    }
    if (e instanceof FileSystemException fs && fs.getReason() == null) {
      return message + " (" + e.getClass().getSimpleName() + ")";
    }
    return message;
  }
}

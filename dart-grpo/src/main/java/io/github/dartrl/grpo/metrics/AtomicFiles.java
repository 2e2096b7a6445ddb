package io.github.dartrl.grpo.metrics;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Writes a file so readers see either the old content or the complete new one: the bytes go to a
 * temporary file in the same directory, which is then renamed over the target. A crash or an
 * exception mid-write leaves the target untouched and no temporary file behind (short of the JVM
 * dying between the two steps, which leaves a {@code .tmp} file next to an intact target).
 */
public final class AtomicFiles {

  /** What writes the content. */
  @FunctionalInterface
  public interface Body {
    /**
     * Writes the whole content; the stream is buffered and closed by the caller.
     *
     * @param out the temporary file's stream
     * @throws IOException when writing fails
     */
    void writeTo(OutputStream out) throws IOException;
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private AtomicFiles() {}

  /**
   * Writes {@code target} atomically, creating its parent directories.
   *
   * @param target the file to (re)place
   * @param body writes the content
   * @throws IOException when writing or renaming fails; the target is then unchanged
   */
  public static void write(Path target, Body body) throws IOException {
    Objects.requireNonNull(body, "body");
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    // Not Files.createTempFile: it makes the file owner-only (0600), and the rename would carry
    // that onto results meant to be shared; CREATE_NEW keeps the usual umask permissions.
    Path tmp =
        dir.resolve(
            "." + absolute.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    try {
      try (OutputStream out =
          new BufferedOutputStream(
              Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              1 << 16)) {
        body.writeTo(out);
      }
      try {
        Files.move(
            tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        // Some file systems (certain network mounts) cannot rename atomically; a plain replace
        // still never exposes a half-written file under the target name on the common ones.
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}

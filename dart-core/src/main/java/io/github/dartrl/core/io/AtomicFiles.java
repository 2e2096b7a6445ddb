package io.github.dartrl.core.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Crash-safe file replacement: write a hidden temporary in the target's directory, fsync it, then
 * rename it over the target. A reader therefore sees either the old file or the complete new one,
 * never a prefix; on failure the temporary is deleted and the old file is untouched. Renaming
 * (never truncating in place) also keeps readers that have the old file memory-mapped safe from
 * SIGBUS.
 *
 * <p>The project's one implementation: checkpoints, safetensors, CSV, summaries, reports, datasets
 * all go through it, so every saved file is both atomic and durable (file and directory fsynced).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** What writes the content of a file as a stream. */
  @FunctionalInterface
  public interface Body {
    /**
     * Writes the whole content; the stream is buffered, flushed and closed by the caller.
     *
     * @param out the temporary file's stream
     * @throws IOException when writing fails
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes the body of a file through its channel. */
  @FunctionalInterface
  interface ChannelBody {
    void writeTo(FileChannel channel) throws IOException;
  }

  /**
   * Atomically and durably replaces {@code target} with what {@code body} writes, creating its
   * parent directories. The new file keeps the permissions of the one it replaces (0644 for a new
   * one).
   *
   * @throws IOException when writing, syncing or renaming fails (the target is then unchanged and
   *     no temporary is left); the operating system's reason, e.g. "No space left on device", stays
   *     in the message
   */
  public static void write(Path target, Body body) throws IOException {
    Objects.requireNonNull(body, "body");
    Files.createDirectories(directoryOf(target));
    writeChecked(
        target,
        ch -> {
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
          // Writers such as Jackson close the stream they were given; that must not close the
          // channel before it is forced, so close() here only flushes.
          body.writeTo(
              new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                  out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                  out.flush();
                }
              });
          out.flush();
        });
  }

  /**
   * Atomically replaces {@code target} with what {@code body} writes to its channel.
   *
   * @throws UncheckedIOException on I/O failure (the target is then unchanged)
   */
  static void writeChannel(Path target, ChannelBody body) {
    try {
      writeChecked(target, body);
    } catch (IOException e) {
      throw IoErrors.unchecked("cannot write " + target, e);
    }
  }

  private static void writeChecked(Path target, ChannelBody body) throws IOException {
    Path dir = directoryOf(target);
    Path temp = null;
    try {
      temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
      copyPermissions(target, temp);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        body.writeTo(ch);
        ch.force(true);
      }
      move(temp, target);
      temp = null;
      fsyncDirectory(dir);
    } finally {
      if (temp != null) {
        deleteQuietly(temp);
      }
    }
  }

  /** Renames {@code from} to {@code to} atomically, replacing {@code to} if it exists. */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      // some network mounts cannot rename atomically; a plain replace is the best they offer
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * Makes renames and deletions in {@code dir} durable. Best effort: some platforms cannot open a
   * directory for syncing, and the rename itself is already atomic.
   */
  public static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException ignored) {
      // not supported here (e.g. Windows); durability then rests on the OS
    }
  }

  /**
   * Temporary files are created owner-only (0600); give the new file the permissions of the one it
   * replaces, or the usual 0644, so a checkpoint stays readable by the other users of a model
   * cache.
   */
  private static void copyPermissions(Path target, Path temp) throws IOException {
    try {
      Set<PosixFilePermission> perms =
          Files.exists(target)
              ? Files.getPosixFilePermissions(target)
              : PosixFilePermissions.fromString("rw-r--r--");
      Files.setPosixFilePermissions(temp, perms);
    } catch (UnsupportedOperationException notPosix) {
      // non-POSIX file system: the platform's defaults apply
    }
  }

  static Path directoryOf(Path file) {
    Path parent = file.toAbsolutePath().getParent();
    if (parent == null) {
      throw new IllegalArgumentException("no parent directory: " + file);
    }
    return parent;
  }

  static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // best effort cleanup after a failure that is already being reported
    }
  }
}

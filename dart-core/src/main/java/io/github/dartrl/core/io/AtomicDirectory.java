package io.github.dartrl.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a whole directory so that readers see either the old one or the complete new one, never a
 * half-written mix: the content is written into a hidden sibling, then swapped in by renames. If
 * writing fails, the previous directory is untouched and the partial one is deleted.
 */
public final class AtomicDirectory {
  /** Writes the content of a directory. */
  @FunctionalInterface
  public interface Writer {
    void write(Path dir) throws IOException;
  }

  private AtomicDirectory() {}

  /** Replaces (or creates) {@code target} with what {@code writer} puts in a fresh directory. */
  public static void replace(Path target, Writer writer) {
    Path abs = target.toAbsolutePath();
    Path parent = abs.getParent();
    String base = abs.getFileName().toString();
    Path staging = null;
    try {
      Files.createDirectories(parent);
      staging = Files.createTempDirectory(parent, "." + base + ".tmp-");
      writer.write(staging);
      Path old = null;
      if (Files.exists(abs)) {
        old = parent.resolve("." + base + ".old-" + System.nanoTime());
        Files.move(abs, old, StandardCopyOption.ATOMIC_MOVE);
      }
      try {
        Files.move(staging, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (old != null) {
          Files.move(old, abs, StandardCopyOption.ATOMIC_MOVE); // put the previous one back
        }
        throw e;
      }
      staging = null;
      if (old != null) {
        deleteTree(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + abs + ": " + e.getMessage(), e);
    } finally {
      if (staging != null) {
        try {
          deleteTree(staging);
        } catch (IOException ignored) {
          // best effort: a leftover hidden staging dir never looks like a finished one
        }
      }
    }
  }

  /** Deletes a directory tree (no-op if absent). */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

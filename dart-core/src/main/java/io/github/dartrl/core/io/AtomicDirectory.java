package io.github.dartrl.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a whole directory so that readers see either the old one or the complete new one, never a
 * half-written mix: the content is written into a hidden sibling ({@code .<name>.tmp-*}), its files
 * are fsynced, then it is swapped in by renames. If writing fails, the previous directory is
 * untouched and the partial one is deleted. A process killed mid-write leaves only the hidden
 * sibling, which {@link #recover} removes.
 */
public final class AtomicDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(AtomicDirectory.class);

  /** {@code .<name>.tmp-<random>} (staging) or {@code .<name>.old-<nanos>} (being replaced). */
  private static final Pattern HIDDEN = Pattern.compile("\\.(.+)\\.(tmp|old|del)-[^/]*");

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
      // the rename must not become visible before the data (a power loss would leave a complete
      // directory name over empty files)
      syncTree(staging);
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
      AtomicFiles.fsyncDirectory(parent);
      if (old != null) {
        FileTrees.deleteTree(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + abs + ": " + e.getMessage(), e);
    } finally {
      if (staging != null) {
        try {
          FileTrees.deleteTree(staging);
        } catch (IOException ignored) {
          // best effort: a leftover hidden staging dir never looks like a finished one
        }
      }
    }
  }

  /**
   * Deletes a directory tree so that no reader ever sees it half deleted: it is first renamed to a
   * hidden sibling ({@code .<name>.del-*}), then deleted. No-op if absent.
   */
  public static void delete(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath();
    if (!Files.exists(abs)) {
      return;
    }
    Path hidden = abs.resolveSibling("." + abs.getFileName() + ".del-" + System.nanoTime());
    Files.move(abs, hidden, StandardCopyOption.ATOMIC_MOVE);
    FileTrees.deleteTree(hidden);
  }

  /**
   * Cleans up after a process that died while {@link #replace} or {@link #delete} ran in {@code
   * parent}: deletes staging ({@code .tmp-}) and half-deleted ({@code .del-}) leftovers, and puts a
   * directory that was being replaced ({@code .old-}) back if its new version never arrived.
   *
   * @return the leftovers found (as they were named before the clean-up)
   */
  public static List<Path> recover(Path parent) {
    return recover(parent, null);
  }

  /**
   * Cleans up as {@link #recover(Path)} does, but only the leftovers of {@code name} (a directory
   * in {@code parent}), so that another write in progress in the same parent is not disturbed.
   */
  public static List<Path> recover(Path parent, String name) {
    List<Path> found = new ArrayList<>();
    if (!Files.isDirectory(parent)) {
      return found;
    }
    try (Stream<Path> s = Files.list(parent)) {
      for (Path p : s.sorted().toList()) {
        Matcher m = HIDDEN.matcher(p.getFileName().toString());
        if (!m.matches() || !Files.isDirectory(p) || name != null && !m.group(1).equals(name)) {
          continue;
        }
        found.add(p);
        Path target = parent.resolve(m.group(1));
        if (m.group(2).equals("old") && !Files.exists(target)) {
          LOG.warn("restoring {} from {} (a replacement was interrupted)", target, p);
          Files.move(p, target, StandardCopyOption.ATOMIC_MOVE);
        } else {
          LOG.warn("deleting {} (left by an interrupted write or delete)", p);
          FileTrees.deleteTree(p);
        }
      }
      AtomicFiles.fsyncDirectory(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean up " + parent + ": " + e.getMessage(), e);
    }
    return found;
  }

  /** Forces every file of a tree, then every directory (deepest first), to disk. */
  private static void syncTree(Path root) throws IOException {
    List<Path> dirs = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        if (Files.isRegularFile(p)) {
          try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.force(true);
          }
        } else if (Files.isDirectory(p)) {
          dirs.add(p);
        }
      }
    }
    for (int i = dirs.size() - 1; i >= 0; i--) {
      AtomicFiles.fsyncDirectory(dirs.get(i));
    }
  }
}

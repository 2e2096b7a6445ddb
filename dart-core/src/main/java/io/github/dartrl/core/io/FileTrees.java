package io.github.dartrl.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removing a directory tree: the project's one implementation, used by staging directories, partial
 * indexes, probe outputs and benchmark scratch space.
 */
public final class FileTrees {
  private FileTrees() {}

  /**
   * Deletes {@code dir} and everything below it, deepest first. Does nothing when it is absent; a
   * plain file is deleted too.
   *
   * @throws IOException naming the entry that could not be deleted (what was deleted before it
   *     stays deleted)
   */
  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}

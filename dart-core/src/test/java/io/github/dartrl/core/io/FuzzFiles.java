package io.github.dartrl.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scratch files for fuzz targets whose code under test reads a path: one fixed file per target,
 * rewritten for every input, under a temporary directory deleted when the JVM exits.
 */
public final class FuzzFiles {
  private static Path dir;

  private FuzzFiles() {}

  /** Writes {@code data} to the scratch file {@code name} and returns its path. */
  public static synchronized Path write(String name, byte[] data) {
    try {
      if (dir == null) {
        // tmpfs when there is one: targets rewrite their file for every input.
        Path shm = Path.of("/dev/shm");
        dir =
            Files.isDirectory(shm) && Files.isWritable(shm)
                ? Files.createTempDirectory(shm, "dart4j-fuzz-")
                : Files.createTempDirectory("dart4j-fuzz-");
        dir.toFile().deleteOnExit();
      }
      Path file = dir.resolve(name);
      Files.write(file, data);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Prints how many inputs a target ran, from the class's {@code @AfterAll}, so the build log shows
   * that the bounded fuzzing run really executed (and mutated) inputs rather than only replaying
   * the corpus.
   */
  public static void report(String target, AtomicLong runs) {
    System.out.println("fuzz target " + target + ": " + runs.get() + " inputs");
  }
}

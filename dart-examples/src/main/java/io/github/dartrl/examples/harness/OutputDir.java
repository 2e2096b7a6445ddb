package io.github.dartrl.examples.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The one check every command runs on the output directory it is given ({@code --out}, {@code index
 * --index}) before it does any work, so that dart4j never writes over, or into, something it did
 * not create.
 *
 * <p>An empty path is refused (picocli turns {@code --out ""} into the current directory); so is a
 * path that exists and is not a directory. {@link #requireNew} also refuses a directory that holds
 * anything: a command writes its results only into a directory that is absent (it creates it) or
 * empty. A relative path is relative to the current directory of the process. The problems are bad
 * input (exit code 1, one {@code error:} line naming the option and the path).
 */
public final class OutputDir {
  private OutputDir() {}

  /**
   * Checks that {@code dir} can name an output directory: not the empty path and not an existing
   * file. Used where the command itself decides what an existing directory may hold ({@code
   * train-real --resume}, {@code index}).
   *
   * @param dir the path as given on the command line
   * @param option the option's name, for the message
   * @return {@code dir}
   * @throws IllegalArgumentException naming the option and the path
   */
  public static Path check(Path dir, String option) {
    if (dir == null || dir.toString().isBlank()) {
      throw new IllegalArgumentException(
          option + " must name a directory, got an empty path (it would mean the current one)");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException(
          "output path exists and is not a directory: "
              + dir
              + " ("
              + option
              + " names the directory to write into)");
    }
    return dir;
  }

  /**
   * {@link #check} and: {@code dir} is absent or an empty directory.
   *
   * @throws IllegalArgumentException when {@code dir} holds anything, naming it
   */
  public static Path requireNew(Path dir, String option) {
    check(dir, option);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> entries = Files.list(dir)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException(
              "output directory is not empty: "
                  + dir
                  + " ("
                  + option
                  + " must be absent or empty; dart4j does not write over earlier results)");
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + option + " " + dir + ": " + e, e);
      }
    }
    return dir;
  }

  /**
   * {@link #requireNew} and then creates {@code dir}: the guard every experiment (quickstart,
   * compare, interference) runs before writing anything, also when called from code rather than the
   * command line.
   *
   * @return {@code dir}
   * @throws IllegalArgumentException when {@code dir} holds anything, naming it
   * @throws IOException when it cannot be created
   */
  public static Path createNew(Path dir, String option) throws IOException {
    requireNew(dir, option);
    Files.createDirectories(dir);
    return dir;
  }
}

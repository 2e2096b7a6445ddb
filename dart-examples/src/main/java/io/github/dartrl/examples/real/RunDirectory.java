package io.github.dartrl.examples.real;

import io.github.dartrl.core.io.AtomicDirectory;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.grpo.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code --out} directory of a {@code train-real} run: what may be in it before the run starts,
 * and what a failed run leaves behind.
 *
 * <ul>
 *   <li>It may hold only what train-real writes ({@value #ENTRIES_TEXT}, and the hidden leftovers
 *       of an interrupted atomic write of those); anything else is refused, so no file of the
 *       user's is ever replaced.
 *   <li>Without {@code --resume}, an earlier run (a checkpoint in {@code grpo/}, the final weights,
 *       {@code summary.json}) is refused: continuing it is {@code --resume}, starting afresh is
 *       another {@code --out}. A {@code grpo/} left by a run that was killed before its first
 *       checkpoint is refused too, with the one thing to do (delete it); a reusable {@code index/}
 *       is accepted.
 *   <li>With {@code --resume}, {@code grpo/} must hold a checkpoint (whether it fits the command is
 *       checked by the trainer, field by field).
 *   <li>A fresh run that fails before its first checkpoint removes the {@code grpo/} it created
 *       (there is nothing to resume), so the same command can simply be run again.
 * </ul>
 */
final class RunDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
  static final String ENTRIES_TEXT =
      "index/, grpo/, adapters/, model/, reasoner/, tool/, summary.json";
  static final Set<String> ENTRIES =
      Set.of("index", "grpo", "adapters", "model", "reasoner", "tool", "summary.json");

  /** Entries that only a run that got through training writes. */
  private static final List<String> RESULTS =
      List.of("adapters", "model", "reasoner", "tool", "summary.json");

  /** Hidden leftovers of AtomicDirectory ({@code .adapters.tmp-*}) and AtomicFiles writes. */
  private static final Pattern LEFTOVER =
      Pattern.compile("\\.(index|grpo|adapters|model|reasoner|tool|summary\\.json)\\..*");

  private final Path out;
  private final Path grpo;
  private final boolean resume;

  private RunDirectory(Path out, boolean resume) {
    this.out = out;
    this.grpo = out.resolve("grpo");
    this.resume = resume;
  }

  /**
   * Checks {@code out} for a new run or, with {@code resume}, for continuing one; changes nothing.
   *
   * @throws IllegalArgumentException saying what is in the way and what to do
   */
  static RunDirectory check(Path out, boolean resume) {
    OutputDir.check(out, "--out");
    List<String> unknown = new ArrayList<>();
    List<String> results = new ArrayList<>();
    if (Files.isDirectory(out)) {
      for (String name : list(out)) {
        if (RESULTS.contains(name) || LEFTOVER.matcher(name).matches()) {
          results.add(name);
        } else if (!ENTRIES.contains(name)) {
          unknown.add(name);
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "output directory "
              + out
              + " holds files train-real did not write ("
              + String.join(", ", unknown.stream().sorted().limit(5).toList())
              + (unknown.size() > 5 ? ", ..." : "")
              + "); choose an empty or new --out");
    }
    Path grpo = out.resolve("grpo");
    Optional<Path> checkpoint =
        Files.isDirectory(grpo) ? Trainer.latestCheckpoint(grpo) : Optional.empty();
    boolean grpoUsed = Files.isDirectory(grpo) && !list(grpo).isEmpty();
    if (!resume) {
      if (checkpoint.isPresent() || !results.isEmpty()) {
        List<String> found = new ArrayList<>();
        checkpoint.ifPresent(c -> found.add(out.relativize(c).toString()));
        results.stream().sorted().forEach(found::add);
        throw new IllegalArgumentException(
            "output directory "
                + out
                + " already holds a train-real run ("
                + String.join(", ", found)
                + "); pass --resume to continue it (or to redo its final save), or choose another"
                + " --out");
      }
      if (grpoUsed) {
        throw new IllegalArgumentException(
            "output directory "
                + out
                + " holds "
                + grpo
                + " from a run that stopped before its first checkpoint (nothing to resume);"
                + " delete "
                + grpo
                + " and run the command again");
      }
    } else if (checkpoint.isEmpty()) {
      throw new IllegalArgumentException(
          "--resume: "
              + grpo
              + " holds no checkpoint to resume from; "
              + (grpoUsed
                  ? "delete " + grpo + " (a run that stopped before its first checkpoint) and run"
                  : "run")
              + " the command without --resume to start");
    }
    return new RunDirectory(out, resume);
  }

  /**
   * Creates the directory; when resuming, first cleans up what an interrupted final save left
   * (hidden staging directories and temporary files; a directory being replaced is put back).
   */
  void create() throws IOException {
    Files.createDirectories(out);
    if (resume) {
      AtomicDirectory.recover(out);
      for (String name : list(out)) {
        Path p = out.resolve(name);
        if (LEFTOVER.matcher(name).matches() && Files.isRegularFile(p)) {
          LOG.warn("deleting {} (left by an interrupted write)", p);
          Files.delete(p);
        }
      }
    }
  }

  /**
   * After a failed run: a new run that wrote no checkpoint removes its {@code grpo/} (metrics of
   * steps whose weights are lost), so that it does not block running the same command again; it was
   * empty or absent when the run started (see {@link #check}), so nothing else is lost. Otherwise
   * everything stays for {@code --resume}.
   */
  void afterFailure() {
    if (resume || !Files.isDirectory(grpo)) {
      return;
    }
    Optional<Path> checkpoint = Trainer.latestCheckpoint(grpo);
    if (checkpoint.isPresent()) {
      LOG.warn(
          "{} holds checkpoint {}: the same command with --resume continues",
          out,
          checkpoint.get().getFileName());
      return;
    }
    try {
      AtomicDirectory.delete(grpo);
      LOG.info("removed {}: the run stopped before its first checkpoint", grpo);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not remove {}: {}", grpo, e.getMessage());
    }
  }

  private static List<String> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}

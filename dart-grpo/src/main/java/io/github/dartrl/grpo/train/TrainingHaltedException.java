package io.github.dartrl.grpo.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Training stopped because of a fault it must not train through (the retriever failed under {@link
 * RetrieverFailurePolicy.Action#STOP}, or too many batches in a row were skipped, or a checkpoint
 * could not be written). The message says what failed, at which step, and which checkpoint is
 * intact to resume from; the cause is the original error.
 */
public final class TrainingHaltedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int step;
  private final transient Path lastCheckpoint;

  TrainingHaltedException(String what, int step, Path lastCheckpoint, Throwable cause) {
    super(message(what, step, lastCheckpoint, cause), cause);
    this.step = step;
    this.lastCheckpoint = lastCheckpoint;
  }

  private static String message(String what, int step, Path lastCheckpoint, Throwable cause) {
    return "training stopped at step "
        + step
        + ": "
        + what
        + ": "
        + cause.getMessage()
        + "; "
        + (lastCheckpoint == null
            ? "there is no checkpoint yet"
            : "the last checkpoint " + lastCheckpoint + " is intact, resume from it");
  }

  /** The step that failed (steps before it completed). */
  public int step() {
    return step;
  }

  /** The newest complete checkpoint of the run, if any. */
  public Optional<Path> lastCheckpoint() {
    return Optional.ofNullable(lastCheckpoint);
  }
}

package io.github.dartrl.grpo.train;

import io.github.dartrl.grpo.metrics.MetricsLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a trainer finds in its run directory when it starts, checked before anything in it changes
 * (weights, optimizer, {@code metrics.jsonl}):
 *
 * <ul>
 *   <li>without resume, a directory holding an earlier run's checkpoint or metrics is refused
 *       rather than mixed with the new run (its metrics would be truncated, its checkpoints pruned
 *       among the new ones);
 *   <li>with resume, the latest checkpoint is {@linkplain TrainerCheckpoint#open validated} (state
 *       fields, version, file checksums), {@linkplain CheckpointCompatibility compared} with the
 *       trainer, and its step checked against the step limit.
 * </ul>
 */
final class RunStart {
  private RunStart() {}

  /**
   * Checks the run directory.
   *
   * @param runDir the run directory (exists)
   * @param resume whether to continue the latest checkpoint
   * @param identity the trainer's config, policies and model
   * @param trainSize the trainer's training-set size
   * @param stepLimit the step training is to stop at
   * @return the checkpoint to continue, validated; empty to start at step 0
   * @throws IllegalStateException when the directory cannot be started or resumed, saying why
   */
  static Optional<TrainerStateFile.Saved> check(
      Path runDir, boolean resume, RunIdentity identity, int trainSize, int stepLimit) {
    TrainerCheckpoint.recover(runDir);
    Optional<Path> latest = TrainerCheckpoint.latest(runDir);
    if (!resume) {
      if (latest.isPresent()) {
        throw new IllegalStateException(
            "run directory "
                + runDir
                + " already holds a run (checkpoint "
                + latest.get().getFileName()
                + "); resume it (Trainer.Builder.resume(true), --resume) or train in an empty"
                + " directory");
      }
      Path metrics = runDir.resolve(MetricsLog.FILE_NAME);
      if (size(metrics) > 0) {
        throw new IllegalStateException(
            "run directory "
                + runDir
                + " holds "
                + metrics.getFileName()
                + " of an earlier run that stopped before its first checkpoint (nothing to"
                + " resume); delete "
                + metrics
                + " to start again, or train in an empty directory");
      }
      return Optional.empty();
    }
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    TrainerStateFile.Saved saved = TrainerCheckpoint.open(latest.get());
    CheckpointCompatibility.check(saved, identity, trainSize);
    int step = saved.state().step();
    if (step > stepLimit) {
      throw new IllegalStateException(
          "cannot resume: checkpoint "
              + latest.get()
              + " is at step "
              + step
              + ", past the "
              + stepLimit
              + " steps asked for (totalSteps, --steps); ask for more than "
              + step
              + " to train further, or for exactly "
              + step
              + " to only finish the run");
    }
    return Optional.of(saved);
  }

  private static long size(Path f) {
    try {
      return Files.isRegularFile(f) ? Files.size(f) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }
}

package io.github.dartrl.grpo.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Test hooks for crash and disk-full tests of checkpoint writing. Inert unless one of these system
 * properties is set; each names the checkpoint directory it applies to (e.g. {@code step-000003}):
 *
 * <ul>
 *   <li>{@value #PAUSE}: when that checkpoint is half written (weights and optimizer moments are in
 *       its hidden staging directory, {@code trainer_state.json} is not), create the file named by
 *       {@value #MARKER} (holding the staging path) and wait while it exists, for at most {@value
 *       #MAX_PAUSE_SECONDS} s. A crash test kills the process during the wait.
 *   <li>{@value #FAIL}: at the same point, write a truncated {@code trainer_state.json} and throw
 *       {@code IOException("No space left on device")}, as a full disk would.
 * </ul>
 *
 * Called from the writer of {@link TrainerCheckpoint#save}; costs two property look-ups per
 * checkpoint otherwise.
 */
final class CheckpointFaults {
  static final String PAUSE = "dart4j.test.checkpoint.pause";
  static final String MARKER = "dart4j.test.checkpoint.marker";
  static final String FAIL = "dart4j.test.checkpoint.fail";
  static final int MAX_PAUSE_SECONDS = 300;

  private CheckpointFaults() {}

  /** The hook point: {@code staging} holds all of checkpoint {@code dir} but its state file. */
  static void halfWritten(Path dir, Path staging) throws IOException {
    String name = dir.getFileName().toString();
    if (name.equals(System.getProperty(PAUSE))) {
      Path marker = Path.of(System.getProperty(MARKER));
      Files.writeString(marker, staging.toAbsolutePath().toString(), StandardCharsets.UTF_8);
      long deadline = System.nanoTime() + MAX_PAUSE_SECONDS * 1_000_000_000L;
      while (Files.exists(marker) && System.nanoTime() < deadline) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while paused by " + PAUSE, e);
        }
      }
    }
    if (name.equals(System.getProperty(FAIL))) {
      Files.write(
          staging.resolve(TrainerCheckpoint.STATE_FILE),
          "{\"format\": \"dart4j-tr".getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE_NEW);
      throw new IOException("No space left on device (injected by " + FAIL + ")");
    }
  }
}

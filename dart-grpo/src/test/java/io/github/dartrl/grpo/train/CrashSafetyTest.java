package io.github.dartrl.grpo.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.metrics.StepMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety: a training run in a child JVM is killed with SIGKILL while it is half way through
 * writing a checkpoint. The previous checkpoint must be intact and valid, the half-written one must
 * not be taken for a checkpoint, and resuming must reproduce the uninterrupted run bit for bit
 * (adapters and optimizer state).
 */
@EnabledOnOs(OS.LINUX) // destroyForcibly is SIGKILL there; the exit code 137 is asserted
class CrashSafetyTest {
  static final int STEPS = 4;
  static final int KILLED_WHILE_SAVING = 3;

  @Test
  void sigkillWhileWritingACheckpointLosesNothingAndResumeIsBitIdentical(@TempDir Path tmp)
      throws Exception {
    Path modelDir = tmp.resolve("model");
    Path crashed = tmp.resolve("crashed");
    Path straight = tmp.resolve("straight");
    Path marker = tmp.resolve("paused");
    Path childLog = tmp.resolve("child.log");
    TinyRun.createModel(modelDir);

    Process child =
        startChild(
            modelDir,
            crashed,
            childLog,
            List.of(
                "-D" + CheckpointFaults.PAUSE + "=step-00000" + KILLED_WHILE_SAVING,
                "-D" + CheckpointFaults.MARKER + "=" + marker));
    try {
      awaitMarker(child, marker, childLog);
    } finally {
      child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
    }
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("killed by signal 9").isEqualTo(128 + 9);

    // on disk: two complete checkpoints and the hidden, half-written third
    Path staging = Path.of(Files.readString(marker, StandardCharsets.UTF_8));
    Path checkpoints = crashed.resolve("checkpoints");
    assertThat(names(checkpoints))
        .containsExactly(
            staging.getFileName().toString(), "step-000001", "step-000002"); // sorted: '.' first
    assertThat(staging.getFileName().toString()).startsWith(".step-000003.tmp-");
    assertThat(staging.resolve("policy/optimizer.safetensors")).exists();
    assertThat(staging.resolve(TrainerCheckpoint.STATE_FILE)).doesNotExist();
    Path previous = TrainerCheckpoint.dirFor(crashed, 2);
    assertThat(Trainer.latestCheckpoint(crashed)).contains(previous);
    TrainerCheckpoint.verify(previous); // every file has its recorded size and SHA-256
    Map<String, byte[]> previousFiles = TinyRun.files(previous);

    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = HfCheckpoint.load(modelDir, root);
        TextTokenizer tok = TextTokenizer.load(modelDir)) {
      GrpoConfig cfg = TinyRun.config().totalSteps(STEPS).build();
      try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
          Trainer t =
              TinyRun.trainer(p, tok, cfg, straight, new TinyRun.ScriptedRetriever()).build()) {
        t.fit();
      }
      // the child computed exactly what an uninterrupted run computes
      assertThat(TinyRun.weights(previous))
          .containsExactlyEntriesOf(TinyRun.weights(TrainerCheckpoint.dirFor(straight, 2)));

      List<StepMetrics> history;
      try (Policy p = Policy.create(model, PolicyConfig.dart().withSeed(99), tok);
          Trainer t =
              TinyRun.trainer(p, tok, cfg, crashed, new TinyRun.ScriptedRetriever())
                  .resume(true)
                  .build()) {
        history = t.fit().history();
      }
      assertThat(history).extracting(StepMetrics::step).containsExactly(1, 2, 3, 4);
    }
    assertThat(names(checkpoints))
        .containsExactly("step-000001", "step-000002", "step-000003", "step-000004");
    assertThat(TinyRun.files(previous)).containsExactlyEntriesOf(previousFiles);
    for (int step = 3; step <= STEPS; step++) {
      Map<String, byte[]> resumed = TinyRun.weights(TrainerCheckpoint.dirFor(crashed, step));
      assertThat(resumed)
          .as("adapters and optimizer state at step %d", step)
          .containsOnlyKeys(TinyRun.weights(TrainerCheckpoint.dirFor(straight, step)).keySet())
          .containsExactlyEntriesOf(TinyRun.weights(TrainerCheckpoint.dirFor(straight, step)));
    }
  }

  static Process startChild(Path modelDir, Path runDir, Path log, List<String> props)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx512m");
    // the same engine settings as this JVM (offline, single-threaded libtorch)
    System.getProperties()
        .stringPropertyNames()
        .forEach(
            k -> {
              if (k.startsWith("ai.djl.") || k.equals("offline")) {
                cmd.add("-D" + k + "=" + System.getProperty(k));
              }
            });
    cmd.addAll(props);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(CrashTrainingMain.class.getName());
    cmd.addAll(List.of(modelDir.toString(), runDir.toString(), Integer.toString(STEPS)));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Waits until the child is paused inside the checkpoint write; fails if it exits first. */
  static void awaitMarker(Process child, Path marker, Path log) throws Exception {
    // generous: only a hung child reaches it; no timing is asserted
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!Files.exists(marker) || Files.size(marker) == 0) {
      if (!child.isAlive()) {
        throw new AssertionError(
            "child exited with "
                + child.exitValue()
                + " before pausing:\n"
                + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("child never paused:\n" + Files.readString(log));
      }
      Thread.sleep(20);
    }
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}

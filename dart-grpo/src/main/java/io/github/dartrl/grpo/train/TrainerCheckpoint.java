package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicDirectory;
import io.github.dartrl.core.io.ModelFormatException;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.io.SafetensorsFile;
import io.github.dartrl.core.io.SafetensorsWriter;
import io.github.dartrl.core.io.UntrustedJson;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.grpo.data.DataCursor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A resumable training checkpoint, {@code <runDir>/checkpoints/step-000100/}: the adapters (PEFT
 * directories + dart.json) or, for FULL, the model; the optimizer moments and step count; the data
 * cursor, step and fault counters; the config, policies and base model ({@link RunIdentity}); and
 * the size and SHA-256 of every file ({@link CheckpointManifest}); see {@link TrainerStateFile}.
 * Written into a hidden directory, fsynced and renamed, with {@code trainer_state.json} written
 * last: a crash or a write error while saving leaves the previous checkpoint as it was and no
 * directory that {@link #latest} would take for a checkpoint. Resuming is {@link #open} (validate,
 * change nothing) then {@link #load}.
 */
public final class TrainerCheckpoint {
  static final String STATE_FILE = "trainer_state.json";
  static final String OPTIMIZER_FILE = "optimizer.safetensors";
  private static final ObjectMapper JSON = UntrustedJson.newMapper();

  /**
   * What besides weights a run needs to continue exactly.
   *
   * @param step GRPO steps completed
   * @param cursor data order position
   * @param skippedUpdates non-finite updates skipped so far
   * @param skippedBatches steps whose batch was skipped because the retriever failed
   * @param retrieverRetries retriever calls retried so far
   */
  public record State(
      int step,
      DataCursor.State cursor,
      int skippedUpdates,
      int skippedBatches,
      long retrieverRetries) {}

  private TrainerCheckpoint() {}

  static Path dirFor(Path runDir, int step) {
    return runDir.resolve("checkpoints").resolve(String.format("step-%06d", step));
  }

  /** One trained policy with its optimizer; a checkpoint holds one sub-directory per learner. */
  record Learner(String name, Policy policy, AdamW optimizer) {}

  static void save(Path dir, List<Learner> learners, State state, RunIdentity identity) {
    AtomicDirectory.replace(
        dir,
        tmp -> {
          Map<String, TrainerStateFile.LearnerEntry> saved = new LinkedHashMap<>();
          for (Learner l : learners) {
            Path sub = Files.createDirectories(tmp.resolve(l.name()));
            Policy policy = l.policy();
            if (policy.method().trainsBackbone()) {
              HfCheckpoint.save(policy.model(), sub.resolve("model"), SafetensorsDType.F32);
            } else {
              PolicyCheckpoint.save(policy, sub.resolve("adapters"));
            }
            Map<String, NDArray> moments = new LinkedHashMap<>();
            l.optimizer().firstMoments().forEach((k, v) -> moments.put("m." + k, v));
            l.optimizer().secondMoments().forEach((k, v) -> moments.put("v." + k, v));
            SafetensorsWriter.write(
                sub.resolve(OPTIMIZER_FILE),
                moments,
                Map.of("step", Integer.toString(l.optimizer().stepCount())),
                SafetensorsDType.F32);
            saved.put(
                l.name(),
                new TrainerStateFile.LearnerEntry(
                    policy.method().name(), l.optimizer().stepCount()));
          }
          ObjectNode n = TrainerStateFile.toJson(state, saved, identity);
          CheckpointFaults.halfWritten(dir, tmp);
          CheckpointManifest.write(n, CheckpointManifest.of(tmp, STATE_FILE));
          JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(STATE_FILE).toFile(), n);
        });
  }

  /** The checkpoint with the highest step under {@code runDir}, if any. */
  public static Optional<Path> latest(Path runDir) {
    Path root = runDir.resolve("checkpoints");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.getFileName().toString().matches("step-\\d{6}"))
          .filter(p -> Files.isRegularFile(p.resolve(STATE_FILE)))
          .max(Path::compareTo);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Keeps the newest {@code keep} checkpoints and deletes older ones. */
  static void prune(Path runDir, int keep) {
    Path root = runDir.resolve("checkpoints");
    try (Stream<Path> s = Files.list(root)) {
      List<Path> all =
          s.filter(p -> p.getFileName().toString().matches("step-\\d{6}")).sorted().toList();
      for (int i = 0; i < all.size() - keep; i++) {
        AtomicDirectory.delete(all.get(i)); // renamed away first: never seen half deleted
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Removes what an interrupted save or prune left in {@code runDir/checkpoints} (hidden staging
   * directories); see {@link AtomicDirectory#recover}.
   *
   * @return the leftovers found
   */
  static List<Path> recover(Path runDir) {
    return AtomicDirectory.recover(runDir.resolve("checkpoints"));
  }

  /**
   * Checks that a checkpoint is complete and undamaged: its state file is valid and every file it
   * lists has the recorded size and SHA-256.
   *
   * @throws ModelFormatException naming the state file or the first bad file
   */
  public static void verify(Path dir) {
    open(dir);
  }

  /**
   * Reads and validates a checkpoint without loading anything: the state file ({@link
   * TrainerStateFile#read}), that its step is the one the directory is named after, and the size
   * and SHA-256 of every file.
   *
   * @throws ModelFormatException naming the state file or the first bad file
   */
  static TrainerStateFile.Saved open(Path dir) {
    Path stateFile = dir.resolve(STATE_FILE);
    TrainerStateFile.Saved saved = TrainerStateFile.read(stateFile);
    String expected = String.format("step-%06d", saved.state().step());
    if (!expected.equals(dir.getFileName().toString())) {
      throw new ModelFormatException(
          stateFile,
          "step",
          "the state is at step "
              + saved.state().step()
              + " but its directory is "
              + dir.getFileName()
              + " (expected "
              + expected
              + ")");
    }
    if (!CheckpointManifest.verify(dir, stateFile, saved.root())) {
      throw new ModelFormatException(stateFile, CheckpointManifest.FIELD, "no file manifest");
    }
    return saved;
  }

  /**
   * Loads an {@linkplain #open opened} checkpoint's weights and optimizer state into live objects.
   * Every learner is checked against the checkpoint before the first one is loaded, so a mismatch
   * leaves the policies as they were.
   */
  static void load(TrainerStateFile.Saved saved, List<Learner> learners) {
    Path stateFile = saved.file();
    Path dir = stateFile.getParent();
    for (Learner l : learners) {
      TrainerStateFile.LearnerEntry entry = saved.learners().get(l.name());
      if (entry == null) {
        throw new ModelFormatException(
            stateFile, "learners." + l.name(), "checkpoint has no learner named " + l.name());
      }
      if (!l.policy().method().name().equals(entry.method())) {
        throw new ModelFormatException(
            stateFile,
            "learners." + l.name() + ".method",
            "checkpoint was trained with " + entry.method() + ", policy is " + l.policy().method());
      }
    }
    for (Learner l : learners) {
      Policy policy = l.policy();
      Path sub = dir.resolve(l.name());
      if (policy.method().trainsBackbone()) {
        try (NDManager tmp = policy.model().manager().newSubManager();
            var model = HfCheckpoint.load(sub.resolve("model"), tmp);
            var off = io.github.dartrl.core.model.GradMode.disabled()) {
          model
              .parameters()
              .forEach(
                  (k, v) ->
                      policy
                          .model()
                          .parameters()
                          .get(k)
                          .set(new ai.djl.ndarray.index.NDIndex(":"), v));
        }
      } else {
        PolicyCheckpoint.restore(policy, sub.resolve("adapters"));
      }
      AdamW optimizer = l.optimizer();
      try (SafetensorsFile f = SafetensorsFile.open(sub.resolve(OPTIMIZER_FILE));
          NDManager tmp = policy.model().manager().newSubManager()) {
        Map<String, NDArray> m = new LinkedHashMap<>();
        Map<String, NDArray> v = new LinkedHashMap<>();
        for (String name : optimizer.firstMoments().keySet()) {
          m.put(name, f.load("m." + name, tmp));
          v.put(name, f.load("v." + name, tmp));
        }
        optimizer.restore(saved.learners().get(l.name()).optimizerSteps(), m, v);
      }
    }
  }
}

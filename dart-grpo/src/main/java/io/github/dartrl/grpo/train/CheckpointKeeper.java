package io.github.dartrl.grpo.train;

import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and restores a run's checkpoints ({@link TrainerCheckpoint}) for the {@link Trainer}: names
 * the directory of a step, prunes old ones, tells the listeners, remembers the last intact one and
 * turns a failed save into a {@link TrainingHaltedException} that names it.
 */
final class CheckpointKeeper {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointKeeper.class);

  private final Path runDir;
  private final int keep;
  private final RunIdentity identity;
  private final List<TrainerCheckpoint.Learner> learners;
  private final List<TrainerListener> listeners;
  private Path last;

  /**
   * Checkpoints of {@code learners} in {@code runDir}, identified by the config, the learners'
   * policies, the template and the base model (null when not given).
   */
  CheckpointKeeper(
      Path runDir,
      GrpoConfig config,
      PromptTemplate template,
      Path baseModel,
      List<PolicyLearner> learners,
      List<TrainerListener> listeners) {
    this.runDir = runDir;
    this.keep = config.keepCheckpoints();
    Map<String, PolicyConfig> policies = new LinkedHashMap<>();
    learners.forEach(l -> policies.put(l.name(), l.policy().config()));
    ModelIdentity model = baseModel == null ? null : ModelIdentity.of(baseModel);
    this.identity = RunIdentity.of(config, policies, template, model);
    this.learners = learners.stream().map(PolicyLearner::checkpointView).toList();
    this.listeners = listeners;
  }

  /** What a checkpoint of this run must match to be resumed. */
  RunIdentity identity() {
    return identity;
  }

  /** The last checkpoint written or restored, or null. */
  Path last() {
    return last;
  }

  /** Writes the checkpoint of {@code state.step()}; returns its directory. */
  Path save(TrainerCheckpoint.State state) {
    int step = state.step();
    Path dir = TrainerCheckpoint.dirFor(runDir, step);
    try {
      TrainerCheckpoint.save(dir, learners, state, identity);
    } catch (UncheckedIOException e) {
      // e.g. a full disk: the half-written checkpoint is gone, the previous one is untouched
      throw new TrainingHaltedException(
          "cannot save checkpoint " + dir.toAbsolutePath(), step, last, e);
    }
    last = dir;
    TrainerCheckpoint.prune(runDir, keep);
    listeners.forEach(l -> l.onCheckpoint(step, dir));
    return dir;
  }

  /** Loads the weights and optimizer state of a validated checkpoint; returns the rest. */
  TrainerCheckpoint.State restore(TrainerStateFile.Saved saved) {
    TrainerCheckpoint.load(saved, learners);
    last = saved.file().getParent();
    LOG.info("resumed from {} at step {}", last, saved.state().step());
    return saved.state();
  }
}

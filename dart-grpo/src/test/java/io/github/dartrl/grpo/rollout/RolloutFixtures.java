package io.github.dartrl.grpo.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.SequenceBatch;
import java.nio.file.Path;
import java.util.List;

/**
 * What the rollout tests share, public so that tests outside dart-grpo (e.g. a user's tool in
 * dart-examples) can use it: the tiny word-level model they sample from, and the check that a
 * training forward reproduces the log-probabilities recorded while sampling.
 */
public final class RolloutFixtures {
  private RolloutFixtures() {}

  /**
   * The tiny model's words: it only ever writes these, so tests use some of them as stand-ins for
   * tags.
   */
  public static final List<String> WORDS =
      List.of("who", "is", "the", "capital", "of", "paris", "france", "city", "question", ":");

  /** Creates the tiny model (d = 32, 2 layers, seed 4) over {@link #WORDS} in {@code dir}. */
  public static void createModel(Path dir) {
    TinyModels.create(dir, WORDS, new TinyModels.Size(32, 2, 4, 2, 64, 1024), 4);
  }

  /**
   * Asserts that a training forward of {@code policy} over {@code ts} (temperature 1, without
   * gradients) gives every sampled token the log-probability recorded while sampling, within 1e-4.
   */
  public static void assertTrainingReproducesLogProbs(Policy policy, List<Trajectory> ts) {
    SequenceBatch batch =
        new SequenceBatch(
            ts.stream().map(Trajectory::tokens).toList(),
            ts.stream().map(Trajectory::roles).toList(),
            0);
    try (GradMode off = GradMode.disabled();
        NDManager s = policy.model().newScope()) {
      float[] lp = policy.logProbs(s, batch, 1f).toFloatArray();
      for (int r = 0; r < ts.size(); r++) {
        Trajectory t = ts.get(r);
        for (int p = 1; p < t.tokens().length; p++) {
          if (!Float.isNaN(t.logProbs()[p])) {
            assertThat(lp[r * batch.length() + batch.padding(r) + p - 1])
                .as("row %d token %d", r, p)
                .isCloseTo(t.logProbs()[p], within(1e-4f));
          }
        }
      }
    }
  }
}

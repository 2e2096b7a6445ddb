package io.github.dartrl.grpo.train;

import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.util.List;

/** Scores a trajectory against its question: the one place training and evaluation build it. */
final class RewardScoring {
  private RewardScoring() {}

  /**
   * The rewards of a rollout batch.
   *
   * @param rewards reward per trajectory
   * @param groups GRPO group per trajectory
   * @param exactMatches trajectories whose answer matched
   */
  record Batch(double[] rewards, int[] groups, int exactMatches) {}

  /** Scores each trajectory against the example of its task. */
  static Batch scoreAll(RewardFunction reward, List<QaExample> examples, List<Trajectory> ts) {
    double[] rewards = new double[ts.size()];
    int[] groups = new int[ts.size()];
    int em = 0;
    for (int i = 0; i < ts.size(); i++) {
      Trajectory t = ts.get(i);
      RewardResult r = score(reward, examples.get(t.taskIndex()), t);
      rewards[i] = r.reward();
      em += r.exactMatch() ? 1 : 0;
      groups[i] = t.group();
    }
    return new Batch(rewards, groups, em);
  }

  /** Scores {@code t} against {@code ex} ({@link Trajectory#rewardInput}). */
  static RewardResult score(RewardFunction reward, QaExample ex, Trajectory t) {
    return reward.score(t.rewardInput(ex));
  }
}

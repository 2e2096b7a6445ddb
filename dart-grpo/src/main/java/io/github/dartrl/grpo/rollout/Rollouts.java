package io.github.dartrl.grpo.rollout;

import java.util.List;

/** Produces G trajectories per question; row {@code i * G + j} is completion j of question i. */
public interface Rollouts {
  List<Trajectory> rollout(List<String> questions, int groupSize, long seed);
}

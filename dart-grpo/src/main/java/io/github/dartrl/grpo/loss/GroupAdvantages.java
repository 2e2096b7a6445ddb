package io.github.dartrl.grpo.loss;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GRPO outcome advantages: within each group of completions of the same prompt, {@code A_i = (r_i −
 * mean) / (std + eps)} with the unbiased std (verl {@code compute_grpo_outcome_advantage}), or
 * {@code r_i − mean} without std scaling (Dr. GRPO). A group of one gets mean 0 and std 1, as in
 * verl.
 *
 * @param advantages one per completion
 * @param zeroStdGroupFraction fraction of groups whose rewards are all equal (no learning signal)
 */
public record GroupAdvantages(float[] advantages, double zeroStdGroupFraction) {

  /**
   * @param rewards one reward per completion
   * @param groups group id per completion (completions of one prompt share an id)
   */
  public static GroupAdvantages compute(
      double[] rewards, int[] groups, boolean scaleByStd, double eps) {
    if (rewards.length != groups.length) {
      throw new IllegalArgumentException("one group id per reward");
    }
    Map<Integer, List<Integer>> members = new HashMap<>();
    for (int i = 0; i < groups.length; i++) {
      members.computeIfAbsent(groups[i], k -> new java.util.ArrayList<>()).add(i);
    }
    float[] adv = new float[rewards.length];
    int zeroStd = 0;
    for (List<Integer> idx : members.values()) {
      double mean = 0;
      double std = 1;
      if (idx.size() > 1) {
        for (int i : idx) {
          mean += rewards[i];
        }
        mean /= idx.size();
        double ss = 0;
        for (int i : idx) {
          ss += (rewards[i] - mean) * (rewards[i] - mean);
        }
        std = Math.sqrt(ss / (idx.size() - 1));
        if (std == 0) {
          zeroStd++;
        }
      }
      for (int i : idx) {
        adv[i] = (float) (scaleByStd ? (rewards[i] - mean) / (std + eps) : rewards[i] - mean);
      }
    }
    return new GroupAdvantages(adv, members.isEmpty() ? 0 : zeroStd / (double) members.size());
  }
}

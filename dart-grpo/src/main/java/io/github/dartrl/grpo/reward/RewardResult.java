package io.github.dartrl.grpo.reward;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The score of one trajectory with its diagnostics.
 *
 * <p>{@code exactMatch} is always the exact match of the extracted answer against the gold answers
 * (and false when the trajectory was not scored, e.g. truncated), whatever the reward is made of,
 * so EM can be logged and compared across reward functions. {@code components} holds the named
 * parts and checks behind the reward (for example {@code em}, {@code f1}, {@code format_valid},
 * {@code retrieval_hit}), in insertion order, for logging.
 *
 * @param reward the scalar reward; finite
 * @param exactMatch whether the extracted answer matches a gold answer after normalisation
 * @param extractedAnswer the answer the reward judged, or null when the response had none
 * @param components named diagnostics; finite values
 */
public record RewardResult(
    double reward, boolean exactMatch, String extractedAnswer, Map<String, Double> components) {

  /** Validates and copies the components, keeping their order. */
  public RewardResult {
    if (!Double.isFinite(reward)) {
      throw new IllegalArgumentException("reward must be finite, got " + reward);
    }
    Objects.requireNonNull(components, "components");
    Map<String, Double> copy = new LinkedHashMap<>();
    components.forEach(
        (k, v) -> {
          Objects.requireNonNull(k, "component name");
          if (v == null || !Double.isFinite(v)) {
            throw new IllegalArgumentException("component " + k + " must be finite, got " + v);
          }
          copy.put(k, v);
        });
    components = Collections.unmodifiableMap(copy);
  }

  /**
   * A copy with another reward and extra components (added after, or replacing, existing ones);
   * used by decorators.
   */
  public RewardResult with(double newReward, Map<String, Double> extraComponents) {
    Map<String, Double> merged = new LinkedHashMap<>(components);
    merged.putAll(extraComponents);
    return new RewardResult(newReward, exactMatch, extractedAnswer, merged);
  }
}

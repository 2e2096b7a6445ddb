package io.github.dartrl.grpo.reward;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Decides what a truncated trajectory (cut off by a token or turn limit, {@link
 * RewardInput#truncated()}) earns.
 *
 * <p>By default ({@code scoreTruncated = false}) it earns 0 and is reported as not an exact match,
 * without calling the delegate: a rollout that ran out of budget did not finish its answer, and an
 * answer block that happens to sit in the text before the cut (say, followed by more blocks the
 * limit stopped) must not be scored as if the model had ended there. Rewarding truncation would
 * also teach the policy nothing about ending its turn. With {@code scoreTruncated = true} the
 * delegate scores the text as it stands (as Search-R1 does, which has no truncation rule). Either
 * way the result carries the component {@code truncated} (1 or 0), so truncations can be counted.
 * The extracted answer of an unscored trajectory is still reported, for inspection.
 *
 * @param delegate the reward for trajectories that are scored
 * @param scoreTruncated whether truncated trajectories are scored by the delegate (else 0)
 */
public record TruncationPolicy(RewardFunction delegate, boolean scoreTruncated)
    implements RewardFunction {

  /** Checks the delegate. */
  public TruncationPolicy {
    Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public RewardResult score(RewardInput input) {
    Map<String, Double> flag = Map.of(RewardComponents.TRUNCATED, input.truncated() ? 1.0 : 0.0);
    if (input.truncated() && !scoreTruncated) {
      Map<String, Double> components = new LinkedHashMap<>(flag);
      return new RewardResult(0.0, false, AnswerExtractor.extract(input.response()), components);
    }
    RewardResult result = delegate.score(input);
    return result.with(result.reward(), flag);
  }
}

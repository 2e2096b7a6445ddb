package io.github.dartrl.grpo.reward;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Builds reward functions from names (for the CLI and JSON configs) and applies decorators. */
public final class RewardFunctions {

  /** The names {@link #named} and {@link #bare} accept. */
  public static final List<String> NAMES = List.of("em", "subem", "f1", "format");

  private RewardFunctions() {}

  /**
   * The reward for a name, ready for training: the {@link #bare} reward inside an {@link
   * AnswerSpamGuard} (verl's limits) inside a {@link TruncationPolicy} that scores truncated
   * trajectories 0.
   *
   * @param name {@code em} (exact match, the default), {@code subem} (substring match), {@code f1}
   *     (token F1) or {@code format} (Search-R1 v0.3 format-aware EM); case and surrounding spaces
   *     are ignored
   * @throws IllegalArgumentException for any other name
   */
  public static RewardFunction named(String name) {
    return withTruncation(AnswerSpamGuard.of(bare(name)), false);
  }

  /**
   * The reward for a name without decorators: {@link ExactMatchReward}, {@link
   * SubstringMatchReward}, {@link F1Reward} or {@link FormatReward#searchR1()}.
   *
   * @param name as for {@link #named}
   * @throws IllegalArgumentException for an unknown name
   */
  public static RewardFunction bare(String name) {
    Objects.requireNonNull(name, "name");
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "em" -> new ExactMatchReward();
      case "subem" -> new SubstringMatchReward();
      case "f1" -> new F1Reward();
      case "format" -> FormatReward.searchR1();
      default ->
          throw new IllegalArgumentException(
              "unknown reward \"" + name + "\"; expected one of " + String.join(", ", NAMES));
    };
  }

  /**
   * Wraps a reward in a {@link TruncationPolicy}.
   *
   * @param reward the reward for trajectories that are scored
   * @param scoreTruncated whether truncated trajectories are scored by {@code reward}; if false
   *     they earn 0
   */
  public static RewardFunction withTruncation(RewardFunction reward, boolean scoreTruncated) {
    return new TruncationPolicy(reward, scoreTruncated);
  }
}

package io.github.dartrl.grpo.reward;

import java.util.Map;
import java.util.Objects;

/**
 * Divides a positive reward when the response is stuffed with answer tags (verl's Search-R1 port,
 * {@code search_r1_like_qa_em.compute_score}: a correct answer scores {@code score / 4} when the
 * text has more than 10 {@code <answer>} or more than 10 {@code </answer>} tags).
 *
 * <p>Why: only the last answer block counts, so a policy can emit many blocks and hope one of its
 * guesses lands last, or emit runs of {@code </answer>}; verl's comment reads "prevent output a lot
 * of {@code </answer>}". verl applies the division to a correct EM answer, which is the only
 * positive EM reward; here it applies to any positive reward, so partial credit (F1, sub-EM) and
 * format bonuses cannot be farmed by spamming either. The reported {@code exactMatch} is left as
 * is: the answer was right, it just earns less.
 *
 * @param delegate the reward being guarded
 * @param maxTags the largest allowed count of opening, and of closing, answer tags (verl: 10)
 * @param divisor what a positive reward is divided by beyond that (verl: 4)
 */
public record AnswerSpamGuard(RewardFunction delegate, int maxTags, double divisor)
    implements RewardFunction {

  /** verl's limit: more than 10 tags of either kind. */
  public static final int DEFAULT_MAX_TAGS = 10;

  /** verl's penalty: the reward is divided by 4. */
  public static final double DEFAULT_DIVISOR = 4.0;

  /** Validates the parameters. */
  public AnswerSpamGuard {
    Objects.requireNonNull(delegate, "delegate");
    if (maxTags < 1) {
      throw new IllegalArgumentException("maxTags must be >= 1, got " + maxTags);
    }
    if (!(divisor >= 1.0) || Double.isInfinite(divisor)) {
      throw new IllegalArgumentException("divisor must be finite and >= 1, got " + divisor);
    }
  }

  /** Guards a reward with verl's limits (more than 10 tags: reward / 4). */
  public static AnswerSpamGuard of(RewardFunction delegate) {
    return new AnswerSpamGuard(delegate, DEFAULT_MAX_TAGS, DEFAULT_DIVISOR);
  }

  @Override
  public RewardResult score(RewardInput input) {
    RewardResult result = delegate.score(input);
    boolean spam =
        AnswerExtractor.countOpenTags(input.response()) > maxTags
            || AnswerExtractor.countCloseTags(input.response()) > maxTags;
    boolean penalised = spam && result.reward() > 0;
    double reward = penalised ? result.reward() / divisor : result.reward();
    return result.with(reward, Map.of(RewardComponents.ANSWER_SPAM, penalised ? 1.0 : 0.0));
  }
}

package io.github.dartrl.grpo.reward;

/**
 * Names of the {@link RewardResult#components()} the built-in reward functions report. Values are
 * 0/1 flags unless stated otherwise; they are logged as metrics, so the names are kept short and
 * stable.
 */
public final class RewardComponents {

  /** 1 when the response had a complete {@code <answer>} block. */
  public static final String ANSWER_FOUND = "answer_found";

  /** 1 when the extracted answer exactly matches a gold answer after normalisation. */
  public static final String EM = "em";

  /** 1 when a normalised gold answer occurs inside the normalised extracted answer. */
  public static final String SUBEM = "subem";

  /** SQuAD token F1 of the extracted answer, best over the gold answers (a value in [0, 1]). */
  public static final String F1 = "f1";

  /** 1 when the response follows the Search-R1 tag grammar ({@link SearchR1Format}). */
  public static final String FORMAT_VALID = "format_valid";

  /** 1 when a normalised gold answer occurs in some retrieved {@code <information>} block. */
  public static final String RETRIEVAL_HIT = "retrieval_hit";

  /** 1 when {@link AnswerSpamGuard} divided the reward. */
  public static final String ANSWER_SPAM = "answer_spam";

  /** 1 when the trajectory was truncated; see {@link TruncationPolicy}. */
  public static final String TRUNCATED = "truncated";

  private RewardComponents() {}
}

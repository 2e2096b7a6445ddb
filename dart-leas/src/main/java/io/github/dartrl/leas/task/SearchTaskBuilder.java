package io.github.dartrl.leas.task;

import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import java.util.Objects;

/**
 * The part of a LEAS tool's builder that sets its {@link SearchTask}: the retriever (required), and
 * optionally the prompt template (default Search-R1's), the rollout config (default Search-R1's,
 * temperature 1) and the reward (default EM, a truncated trajectory scores 0).
 *
 * @param <B> the concrete builder, returned by every setter so that calls chain
 */
public abstract class SearchTaskBuilder<B extends SearchTaskBuilder<B>> {
  private Retriever retriever;
  private PromptTemplate template = PromptTemplate.searchR1();
  private RolloutConfig rollout = RolloutConfig.searchR1();
  private RewardFunction reward = RewardFunctions.named("em");

  /** For subclasses. */
  protected SearchTaskBuilder() {}

  /** The concrete builder ({@code this}). */
  protected abstract B self();

  /** Where the rollouts' searches go (required). */
  public B setRetriever(Retriever r) {
    retriever = r;
    return self();
  }

  /** The prompt template (default Search-R1's). */
  public B optTemplate(PromptTemplate t) {
    template = Objects.requireNonNull(t);
    return self();
  }

  /**
   * Rollout limits and sampling (default Search-R1's, temperature 1); where log-probabilities are
   * computed, its temperature is also theirs.
   */
  public B optRollout(RolloutConfig c) {
    rollout = Objects.requireNonNull(c);
    return self();
  }

  /**
   * The outcome reward, whose {@code exactMatch} counts as correct (default: EM, truncated = 0).
   */
  public B optReward(RewardFunction r) {
    reward = Objects.requireNonNull(r);
    return self();
  }

  /**
   * The task set so far.
   *
   * @throws NullPointerException naming {@code retriever} if it was not set
   */
  public SearchTask task() {
    return new SearchTask(retriever, template, rollout, reward);
  }
}

package io.github.dartrl.leas.task;

import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.grpo.train.RewardScoring;
import java.util.Objects;

/**
 * The Search-R1 task a LEAS tool samples: where searches go, how questions are prompted, the
 * rollout limits and sampling, and how a trajectory is scored.
 *
 * @param retriever answers the {@code <search>} calls
 * @param template turns a question into the prompt
 * @param rollout rollout limits and sampling (its temperature is also the one of log π in losses)
 * @param reward scores a finished trajectory against its question's golden answers
 */
public record SearchTask(
    Retriever retriever, PromptTemplate template, RolloutConfig rollout, RewardFunction reward) {

  /** Checks that every part is set (the retriever has no default). */
  public SearchTask {
    Objects.requireNonNull(retriever, "retriever");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(rollout, "rollout");
    Objects.requireNonNull(reward, "reward");
  }

  /** Scores {@code t} against {@code ex}, as training and evaluation do. */
  public RewardResult score(QaExample ex, Trajectory t) {
    return RewardScoring.score(reward, ex, t);
  }
}

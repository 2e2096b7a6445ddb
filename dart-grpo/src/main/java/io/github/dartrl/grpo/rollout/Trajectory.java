package io.github.dartrl.grpo.rollout;

import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.reward.RewardInput;
import io.github.dartrl.grpo.tool.ObservationFormatter;
import java.util.List;

/**
 * One finished rollout. Token ids are the source of truth: sampled ids are kept as sampled and each
 * observation was tokenised on its own, so nothing is ever re-tokenised.
 *
 * @param taskIndex which task (prompt) of the batch it answers
 * @param group group id for GRPO (completions of one prompt share it)
 * @param tokens prompt + response ids
 * @param roles role code per token ({@link io.github.dartrl.core.routing.TokenRole#code()})
 * @param logProbs log-prob of each sampled token when it was sampled; NaN for given tokens
 * @param promptLength tokens of the prompt
 * @param responseText the response as rewards read it ({@link ResponseText}): the sampled text,
 *     each environment chunk (observation or corrective message) replaced by an empty {@code
 *     <information>} block, so no word of the environment counts as the model's
 * @param turns generation turns taken
 * @param queries executed search queries, in order
 * @param passages retrieved passages per executed query
 * @param validActions turns that ended in a search or an answer
 * @param invalidActions turns that ended in neither
 * @param end how the trajectory ended
 * @param truncated it ended because a token budget ran out, not by an answer
 */
public record Trajectory(
    int taskIndex,
    int group,
    long[] tokens,
    int[] roles,
    float[] logProbs,
    int promptLength,
    String responseText,
    int turns,
    List<String> queries,
    List<List<Passage>> passages,
    int validActions,
    int invalidActions,
    End end,
    boolean truncated) {

  /** How a trajectory ended. */
  public enum End {
    /** The last turn held an answer. */
    ANSWER,
    /** All turns were used without an answer. */
    MAX_TURNS,
    /** The final turn ran out of tokens. */
    LENGTH
  }

  /** Tokens after the prompt. */
  public int responseLength() {
    return tokens.length - promptLength;
  }

  /** Given (observation) tokens in the response. */
  public int observationTokens() {
    int n = 0;
    for (int i = promptLength; i < roles.length; i++) {
      n += roles[i] == io.github.dartrl.core.routing.TokenRole.OBSERVATION.code() ? 1 : 0;
    }
    return n;
  }

  /**
   * What this rollout is judged on: the question's text and gold answers, this response, its
   * truncation and searches, and each observation's text.
   *
   * @param example the question this trajectory answers
   */
  public RewardInput rewardInput(QaExample example) {
    return new RewardInput(
        example.question(),
        example.goldenAnswers(),
        responseText(),
        truncated(),
        queries().size(),
        passages().stream().map(ObservationFormatter::text).toList());
  }
}

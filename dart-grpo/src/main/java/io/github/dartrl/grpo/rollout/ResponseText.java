package io.github.dartrl.grpo.rollout;

import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.Detokenizer;
import java.util.Arrays;

/**
 * The response as rewards read it: the model's own text, never the environment's.
 *
 * <p>Rewards extract the answer and check the Search-R1 format from this text. If it held the
 * environment's messages, their words would count as the model's: the corrective message after an
 * invalid action says "…put the answer between {@code <answer>} and {@code </answer>}…", so a
 * trajectory that never answered would score the answer "and" (F1 0.5 against "salt and pepper",
 * the format reward's 0.1 for an answer in a malformed response), and a retrieved passage could
 * supply an answer or break the format.
 *
 * <p>So the text is built from the role array, which knows what was sampled: each run of sampled
 * tokens (REASONING/TOOL) is decoded on its own, and each environment chunk (an OBSERVATION run:
 * retrieved passages or the corrective message) becomes {@link #ENVIRONMENT_BLOCK}, an empty
 * information block. It keeps the format grammar working (a search is followed by an information
 * block) without letting a word of the environment in; after an invalid action it stands where no
 * information block may, so such a trajectory is malformed, as in Search-R1. Retrieved text reaches
 * rewards separately ({@code RewardInput.observations}).
 */
public final class ResponseText {
  /** What every environment chunk becomes: an information block with nothing in it. */
  public static final String ENVIRONMENT_BLOCK = "\n\n<information></information>\n\n";

  private ResponseText() {}

  /**
   * The response text of a trajectory.
   *
   * @param tokens prompt + response ids
   * @param roles role code per token
   * @param promptLength tokens of the prompt (not part of the response)
   * @param detok decodes a run of sampled ids
   */
  public static String of(long[] tokens, int[] roles, int promptLength, Detokenizer detok) {
    if (roles.length != tokens.length) {
      throw new IllegalArgumentException(tokens.length + " tokens but " + roles.length + " roles");
    }
    StringBuilder out = new StringBuilder();
    int p = promptLength;
    while (p < tokens.length) {
      boolean sampled = TokenRole.ofCode(roles[p]).isSampled();
      int end = p;
      while (end < tokens.length && TokenRole.ofCode(roles[end]).isSampled() == sampled) {
        end++;
      }
      out.append(sampled ? detok.decode(Arrays.copyOfRange(tokens, p, end)) : ENVIRONMENT_BLOCK);
      p = end;
    }
    return out.toString();
  }
}

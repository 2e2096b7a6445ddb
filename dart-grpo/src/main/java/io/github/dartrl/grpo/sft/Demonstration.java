package io.github.dartrl.grpo.sft;

import io.github.dartrl.core.routing.TokenRole;
import java.util.Objects;

/**
 * One demonstration trajectory for supervised warm-start: token ids and one role per token ({@link
 * TokenRole#code()}), exactly as a rollout would record them. Only REASONING and TOOL tokens are
 * fitted; PROMPT and OBSERVATION tokens are context.
 *
 * <p>The arrays are not copied (they may be large and are never modified here).
 *
 * @param tokens token ids, prompt first
 * @param roles role code of each token
 */
public record Demonstration(long[] tokens, int[] roles) {

  /**
   * Validates the arrays.
   *
   * @throws IllegalArgumentException when the lengths differ, a role code is unknown, or no token
   *     after the first is REASONING or TOOL (nothing would be trained)
   */
  public Demonstration {
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(roles, "roles");
    if (tokens.length != roles.length) {
      throw new IllegalArgumentException(
          tokens.length + " tokens but " + roles.length + " roles: need one role per token");
    }
    int trained = 0;
    for (int p = 0; p < roles.length; p++) {
      TokenRole role = TokenRole.ofCode(roles[p]);
      if (p > 0 && role.isSampled()) {
        trained++;
      }
    }
    if (trained == 0) {
      throw new IllegalArgumentException(
          "a demonstration needs at least one REASONING or TOOL token after the first token");
    }
  }

  /** Number of tokens. */
  public int length() {
    return tokens.length;
  }

  /** Tokens that carry loss: REASONING and TOOL tokens after the first (which has no context). */
  public int trainedTokens() {
    int n = 0;
    for (int p = 1; p < roles.length; p++) {
      n += TokenRole.ofCode(roles[p]).isSampled() ? 1 : 0;
    }
    return n;
  }
}

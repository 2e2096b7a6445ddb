package io.github.dartrl.core.routing;

/**
 * Which adapter runs at each input position while decoding.
 *
 * <p>The adapter at input position p is the one for token p+1's role (DESIGN.md): the hidden state
 * at p produces token p+1. The decoding session therefore feeds a token only once it knows what
 * comes next: a given chunk (its role is known) or a sampled token (its role is the router's state
 * after the tokens so far). Implementations keep per-row state, e.g. the tool-span router.
 */
public interface AdapterSchedule {

  /** Adapter (or -1 for none) at a position whose next token is given with {@code role}. */
  int beforeGiven(int row, TokenRole role);

  /** Adapter (or -1) at a position whose next token will be sampled, given the row's state. */
  int beforeSampled(int row);

  /** Role the next sampled token of {@code row} will have (the router's current state). */
  TokenRole nextSampledRole(int row);

  /**
   * Role code the next sampled token of {@code row} will have: with several tools, the open tool's
   * own code ({@link TokenRole#toolCode}); by default the coarse role's code.
   */
  default int nextSampledRoleCode(int row) {
    return nextSampledRole(row).code();
  }

  /** Advances the row's state past a sampled token. */
  void sampled(int row, long token);

  /** Advances the row's state past given tokens (e.g. an observation). */
  void given(int row, long[] tokens, TokenRole role);

  /** No adapters anywhere; every sampled token is REASONING. */
  AdapterSchedule NONE =
      new AdapterSchedule() {
        @Override
        public int beforeGiven(int row, TokenRole role) {
          return -1;
        }

        @Override
        public int beforeSampled(int row) {
          return -1;
        }

        @Override
        public TokenRole nextSampledRole(int row) {
          return TokenRole.REASONING;
        }

        @Override
        public void sampled(int row, long token) {}

        @Override
        public void given(int row, long[] tokens, TokenRole role) {}
      };
}

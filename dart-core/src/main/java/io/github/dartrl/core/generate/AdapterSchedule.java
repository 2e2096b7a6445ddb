package io.github.dartrl.core.generate;

/**
 * Which adapter runs at each input position while decoding. The adapter at input position p is the
 * one of token p+1's role (DESIGN.md), a function of the tokens up to p, so it is known when token
 * p is fed. Implementations keep per-row state (e.g. the tool-span router).
 */
public interface AdapterSchedule {

  /**
   * Adapter index (or -1 for none) at each position of a given, not sampled, chunk of row {@code
   * row}.
   */
  int[] forGiven(int row, long[] tokens);

  /** Adapter index (or -1) at the input position of a token just sampled in row {@code row}. */
  int forSampled(int row, long token);

  /** No adapters anywhere. */
  AdapterSchedule NONE =
      new AdapterSchedule() {
        @Override
        public int[] forGiven(int row, long[] tokens) {
          int[] a = new int[tokens.length];
          java.util.Arrays.fill(a, -1);
          return a;
        }

        @Override
        public int forSampled(int row, long token) {
          return -1;
        }
      };
}

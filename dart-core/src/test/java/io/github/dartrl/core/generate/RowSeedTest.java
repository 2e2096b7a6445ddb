package io.github.dartrl.core.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A batch holding rows k.. of a larger one draws their streams (distributed rollouts). */
class RowSeedTest {
  @Test
  void shiftedSeedGivesRowRTheStreamOfRowRPlusK() {
    long m = 0x9E3779B97F4A7C15L; // DecodeSession's row multiplier
    for (long seed : new long[] {0, 7, -3, 1_000_003L * 7 + 2, Long.MAX_VALUE}) {
      for (long k : new long[] {0, 1, 5, 1024, 1L << 40}) {
        long shifted = DecodeSession.seedForRowsFrom(seed, k);
        for (int r = 0; r < 4; r++) {
          assertThat(shifted * m + r).isEqualTo(seed * m + k + r);
        }
      }
    }
    assertThat(DecodeSession.seedForRowsFrom(42, 0)).isEqualTo(42);
  }
}

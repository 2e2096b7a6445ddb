package io.github.dartrl.core.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenSamplerTest {
  private static final float[] PROBS = {0.05f, 0.5f, 0.15f, 0.3f};

  @Test
  void greedyPicksTheMostLikelyAndReportsItsLogProb() {
    TokenSampler s = new TokenSampler(SamplingParams.greedy(1));
    TokenSampler.Choice c = s.choose(PROBS, 0, 4, new SplittableRandom(1));
    assertThat(c.token()).isEqualTo(1);
    assertThat(c.logProb()).isCloseTo((float) Math.log(0.5), within(1e-7f));
  }

  @Test
  void readsTheRowAtItsOffset() {
    float[] two = {0.7f, 0.1f, 0.1f, 0.1f, 0.05f, 0.5f, 0.15f, 0.3f};
    TokenSampler s = new TokenSampler(SamplingParams.greedy(1));
    assertThat(s.choose(two, 0, 4, new SplittableRandom(1)).token()).isEqualTo(0);
    assertThat(s.choose(two, 4, 4, new SplittableRandom(1)).token()).isEqualTo(1);
  }

  @Test
  void samplingFollowsTheDistribution() {
    TokenSampler s = new TokenSampler(SamplingParams.sample(1.0, 1, 3));
    SplittableRandom rng = new SplittableRandom(3);
    int n = 40_000;
    int[] counts = new int[4];
    for (int i = 0; i < n; i++) {
      counts[s.choose(PROBS, 0, 4, rng).token()]++;
    }
    for (int j = 0; j < 4; j++) {
      // 5 standard deviations of a binomial count
      double sd = Math.sqrt(n * PROBS[j] * (1 - PROBS[j]));
      assertThat((double) counts[j]).isCloseTo(n * PROBS[j], within(5 * sd));
    }
  }

  @Test
  void topPKeepsTheSmallestNucleusAndReportsUntruncatedLogProbs() {
    // sorted: 0.5 (id 1), 0.3 (id 3) reach 0.8 >= 0.75; ids 0 and 2 are never drawn
    TokenSampler s = new TokenSampler(SamplingParams.sample(1.0, 1, 5).withTopKTopP(0, 0.75));
    SplittableRandom rng = new SplittableRandom(5);
    int[] counts = new int[4];
    for (int i = 0; i < 2000; i++) {
      TokenSampler.Choice c = s.choose(PROBS, 0, 4, rng);
      counts[c.token()]++;
      assertThat(c.logProb()).isCloseTo((float) Math.log(PROBS[c.token()]), within(1e-7f));
    }
    assertThat(counts[0]).isZero();
    assertThat(counts[2]).isZero();
    assertThat(counts[1]).isGreaterThan(counts[3]).isPositive();
    assertThat(counts[3]).isPositive();
  }

  @Test
  void topKBreaksTiesByLowerId() {
    float[] tied = {0.1f, 0.3f, 0.3f, 0.3f};
    TokenSampler s = new TokenSampler(SamplingParams.sample(1.0, 1, 9).withTopKTopP(2, 1.0));
    SplittableRandom rng = new SplittableRandom(9);
    boolean[] seen = new boolean[4];
    for (int i = 0; i < 500; i++) {
      seen[s.choose(tied, 0, 4, rng).token()] = true;
    }
    assertThat(seen).containsExactly(false, true, true, false);
  }
}

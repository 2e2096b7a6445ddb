package io.github.dartrl.leas.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The seeded random half splits of the batch-level probes: M groups shuffled (Fisher–Yates, the
 * permutation carried from one split to the next) and cut into halves A and B of ⌊M/2⌋ groups each
 * (one group sits out when M is odd), each half sorted. {@link BatchSplitAngles} and {@link
 * RolePairAngles} draw the same splits for the same seed, so their figures describe the same
 * halves.
 */
final class HalfSplits {
  private HalfSplits() {}

  /**
   * {@code count} splits of {@code m} groups.
   *
   * @return per split {@code {a, b}}, group indices in increasing order
   */
  static List<int[][]> draw(int m, int count, long seed) {
    if (m < 2) {
      throw new IllegalArgumentException("need at least 2 groups to split, got " + m);
    }
    int half = m / 2;
    SplittableRandom rng = new SplittableRandom(seed);
    int[] perm = new int[m];
    for (int i = 0; i < m; i++) {
      perm[i] = i;
    }
    List<int[][]> out = new ArrayList<>(count);
    for (int s = 0; s < count; s++) {
      for (int i = m - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      int[] a = Arrays.copyOfRange(perm, 0, half);
      int[] b = Arrays.copyOfRange(perm, half, 2 * half);
      Arrays.sort(a);
      Arrays.sort(b);
      out.add(new int[][] {a, b});
    }
    return out;
  }
}

package io.github.dartrl.examples.world;

import java.util.List;
import java.util.Random;

/**
 * Seeded random choices. {@link Random} is used because its algorithm is fixed by its Javadoc, so a
 * seed gives the same world on every JVM; shuffling is written out for the same reason.
 */
final class Draws {

  private Draws() {}

  /**
   * An independent stream for one generation stage, so adding draws to one stage does not change
   * what another stage draws.
   */
  static Random stage(long seed, int stage) {
    // splitmix64 finaliser over (seed, stage): nearby seeds and stages give unrelated streams.
    long z = seed + 0x9E3779B97F4A7C15L * (stage + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return new Random(z ^ (z >>> 31));
  }

  /** Fisher–Yates, from the last element down. */
  static <T> void shuffle(List<T> list, Random random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T tmp = list.get(i);
      list.set(i, list.get(j));
      list.set(j, tmp);
    }
  }

  /** A uniformly chosen element of a non-empty list. */
  static <T> T pick(List<T> list, Random random) {
    return list.get(random.nextInt(list.size()));
  }

  /** A uniform integer in {@code [from, to]}. */
  static int between(int from, int to, Random random) {
    return from + random.nextInt(to - from + 1);
  }
}

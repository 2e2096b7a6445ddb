package io.github.dartrl.core.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * How training loops order and cut their rows: a seeded Fisher–Yates permutation (the same one for
 * SFT's epochs and GRPO's later PPO epochs, so a seed always gives the same order) and consecutive
 * chunks (mini- and micro-batches).
 */
public final class BatchOrder {
  private BatchOrder() {}

  /** {@code 0 .. n-1} shuffled with {@code new Random(seed)}. */
  public static int[] shuffled(int n, long seed) {
    int[] order = new int[n];
    Arrays.setAll(order, i -> i);
    Random rng = new Random(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** {@code rows} cut into consecutive chunks of {@code size} (the last may be smaller). */
  public static List<int[]> chunks(int[] rows, int size) {
    if (size <= 0) {
      throw new IllegalArgumentException("chunk size must be > 0, got " + size);
    }
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < rows.length; i += size) {
      out.add(Arrays.copyOfRange(rows, i, Math.min(rows.length, i + size)));
    }
    return out;
  }
}

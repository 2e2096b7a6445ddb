package io.github.dartrl.grpo.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Walks a dataset in seeded, shuffled epochs, one fixed-size batch of example indexes at a time,
 * and can be saved and restored mid-epoch.
 *
 * <p>Epoch {@code e} (from 0) visits the indexes {@code 0..size-1} in the order of a Fisher–Yates
 * shuffle driven by {@code java.util.Random} seeded from {@code seed + e}. {@code Random}'s
 * algorithm is fixed by its specification, so the order is the same on every JVM. The seed is first
 * put through SplitMix64's finaliser, because {@code Random} seeded with consecutive numbers gives
 * visibly correlated first draws, and consecutive epochs would then be shuffled alike.
 *
 * <p>Batches never straddle epochs. When fewer indexes remain in the epoch than a batch needs, the
 * rest of the epoch is dropped and the batch comes from the start of the next one (PyTorch's {@code
 * drop_last}). So a batch never holds the same example twice, which matters for GRPO, where a
 * repeated prompt would form a second group with the same question; and every example is seen at
 * most once per epoch, exactly once when the batch size divides the dataset size. Since each epoch
 * is reshuffled, no example is dropped systematically.
 *
 * <p>Not thread-safe: one training loop owns it.
 */
public final class DataCursor {

  /**
   * Everything needed to resume a cursor; a Jackson-serialisable record for checkpoints.
   *
   * @param size the number of examples
   * @param seed the base seed
   * @param epoch the current epoch, from 0
   * @param position how many indexes of the current epoch have been handed out
   */
  public record State(int size, long seed, int epoch, int position) {

    /** Validates the ranges. */
    public State {
      if (size < 1) {
        throw new IllegalArgumentException("size must be >= 1, got " + size);
      }
      if (epoch < 0) {
        throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
      }
      if (position < 0 || position > size) {
        throw new IllegalArgumentException(
            "position must be in [0, " + size + "], got " + position);
      }
    }
  }

  private final int size;
  private final long seed;
  private int epoch;
  private int position;
  private int[] order;

  /**
   * A cursor at the start of epoch 0.
   *
   * @param size the number of examples, at least 1
   * @param seed the base seed of the shuffles
   */
  public DataCursor(int size, long seed) {
    this(new State(size, seed, 0, 0));
  }

  private DataCursor(State state) {
    this.size = state.size();
    this.seed = state.seed();
    this.epoch = state.epoch();
    this.position = state.position();
    this.order = permutation(size, seed, epoch);
  }

  /**
   * A cursor that continues exactly where the saved one was: it returns the same batches from here
   * on.
   */
  public static DataCursor restore(State state) {
    return new DataCursor(state);
  }

  /** The position to save, to {@link #restore} later. */
  public State state() {
    return new State(size, seed, epoch, position);
  }

  /**
   * The next batch of example indexes, all from one epoch and all different.
   *
   * @param n the batch size, in [1, size]
   * @return a new array of {@code n} indexes in [0, size)
   */
  public int[] nextBatch(int n) {
    if (n < 1 || n > size) {
      throw new IllegalArgumentException(
          "batch size must be in [1, " + size + "] (the dataset size), got " + n);
    }
    if (position + n > size) {
      epoch = Math.addExact(epoch, 1);
      position = 0;
      order = permutation(size, seed, epoch);
    }
    int[] batch = Arrays.copyOfRange(order, position, position + n);
    position += n;
    return batch;
  }

  /** The number of examples. */
  public int size() {
    return size;
  }

  /** The current epoch, from 0. */
  public int epoch() {
    return epoch;
  }

  /** The order of the indexes in an epoch (for tests and inspection). */
  static int[] permutation(int size, long seed, int epoch) {
    int[] p = new int[size];
    for (int i = 0; i < size; i++) {
      p[i] = i;
    }
    Random random = new Random(mix(seed + epoch));
    for (int i = size - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  /** SplitMix64's finaliser (Steele, Lea and Flood 2014). */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}

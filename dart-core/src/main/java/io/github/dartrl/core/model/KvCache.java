package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of every layer for a batch of sequences, preallocated to a fixed capacity.
 *
 * <p>Each forward appends {@code T} slots to every row (rows advance in lock-step). A slot may be
 * padding for some rows (left-padded prompts, or a chunk that is shorter for one row than for
 * another): such slots are never attended to and do not advance that row's position counter, so a
 * row's positions stay contiguous whatever padding the batch needed. Shapes: keys/values {@code [B,
 * K, capacity, D]} per layer.
 */
public final class KvCache implements AutoCloseable {
  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private final boolean[] slotValid; // [B * capacity]
  private final long[] nextPosition; // [B]
  private final int batch;
  private final int capacity;
  private final int maxPositions;
  private int length;

  KvCache(NDManager parent, ModelConfig config, int batch, int capacity) {
    if (batch <= 0 || capacity <= 0) {
      throw new IllegalArgumentException("cache needs batch > 0 and capacity > 0");
    }
    this.manager = parent.newSubManager();
    this.batch = batch;
    this.capacity = capacity;
    this.maxPositions = config.positionLimit();
    Shape shape = new Shape(batch, config.numKvHeads(), capacity, config.headDim());
    this.keys = new NDArray[config.numLayers()];
    this.values = new NDArray[config.numLayers()];
    for (int l = 0; l < keys.length; l++) {
      keys[l] = manager.zeros(shape);
      values[l] = manager.zeros(shape);
    }
    this.slotValid = new boolean[batch * capacity];
    this.nextPosition = new long[batch];
  }

  public int batch() {
    return batch;
  }

  public int capacity() {
    return capacity;
  }

  /** Slots used so far (the same for every row). */
  public int length() {
    return length;
  }

  /** Number of real tokens row {@code b} holds (its next position). */
  public long tokensInRow(int b) {
    return nextPosition[b];
  }

  /**
   * Claims {@code batch.length()} slots for the tokens of {@code batch} and returns their positions
   * ({@code [B*T]}); invalid entries get position 0 and a masked slot.
   */
  long[] append(TokenBatch tokens) {
    if (tokens.batch() != batch) {
      throw new IllegalArgumentException(
          "cache holds " + batch + " rows, batch has " + tokens.batch());
    }
    int t = tokens.length();
    if (length + t > capacity) {
      throw new IllegalStateException(
          "KV cache full: " + length + " + " + t + " slots exceed capacity " + capacity);
    }
    long[] positions = new long[batch * t];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < t; i++) {
        if (tokens.isValid(b, i)) {
          if (nextPosition[b] >= maxPositions) {
            throw new IllegalStateException(
                "row "
                    + b
                    + " exceeds the position limit "
                    + maxPositions
                    + " (max_position_embeddings, times the factor under dynamic rope scaling)");
          }
          positions[b * t + i] = nextPosition[b]++;
          slotValid[b * capacity + length + i] = true;
        }
      }
    }
    length += t;
    return positions;
  }

  /** Additive mask {@code [B, 1, 1, T, S]} for the last {@code t} appended slots over all slots. */
  float[] maskForLast(int t) {
    return AttentionMasks.causal(slotValid, batch, capacity, length - t, t, length);
  }

  void write(int layer, int start, NDArray k, NDArray v) {
    NDIndex slots = new NDIndex(":, :, {}:{}", start, start + k.getShape().get(2));
    keys[layer].set(slots, k);
    values[layer].set(slots, v);
  }

  /** Keys of {@code layer} for all used slots, {@code [B, K, S, D]}, attached to {@code scope}. */
  NDArray keys(int layer, NDManager scope) {
    return slice(keys[layer], scope);
  }

  NDArray values(int layer, NDManager scope) {
    return slice(values[layer], scope);
  }

  private NDArray slice(NDArray full, NDManager scope) {
    NDArray s = full.get(new NDIndex(":, :, :{}", length));
    s.attach(scope);
    return s;
  }

  @Override
  public void close() {
    manager.close();
  }
}

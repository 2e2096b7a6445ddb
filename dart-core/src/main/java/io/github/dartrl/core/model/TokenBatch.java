package io.github.dartrl.core.model;

import java.util.Arrays;
import java.util.List;

/**
 * A rectangular batch of token ids with a validity mask, in row-major {@code [B, T]} layout.
 *
 * <p>Invalid entries are padding: they get no position, are never attended to, and their outputs
 * are meaningless. Rows may be padded anywhere (left-padding for prompts; gaps when rows append
 * chunks of different lengths to a shared KV cache).
 *
 * @param batch B
 * @param length T
 * @param ids token ids, {@code B*T}
 * @param valid true where the entry is a real token, {@code B*T}
 */
public record TokenBatch(int batch, int length, long[] ids, boolean[] valid) {

  public TokenBatch {
    if (batch <= 0 || length <= 0) {
      throw new IllegalArgumentException("empty batch: " + batch + "x" + length);
    }
    if (ids.length != batch * length || valid.length != batch * length) {
      throw new IllegalArgumentException(
          "ids/valid must have B*T = " + batch * length + " entries");
    }
  }

  /** Left-pads sequences of different lengths to the longest one. */
  public static TokenBatch leftPadded(List<long[]> rows, long padId) {
    int b = rows.size();
    int t = rows.stream().mapToInt(r -> r.length).max().orElse(0);
    long[] ids = new long[b * t];
    boolean[] valid = new boolean[b * t];
    Arrays.fill(ids, padId);
    for (int i = 0; i < b; i++) {
      long[] r = rows.get(i);
      int off = i * t + (t - r.length);
      System.arraycopy(r, 0, ids, off, r.length);
      Arrays.fill(valid, off, off + r.length, true);
    }
    return new TokenBatch(b, t, ids, valid);
  }

  /** One unpadded sequence. */
  public static TokenBatch of(long... ids) {
    boolean[] valid = new boolean[ids.length];
    Arrays.fill(valid, true);
    return new TokenBatch(1, ids.length, ids.clone(), valid);
  }

  public long id(int row, int t) {
    return ids[row * length + t];
  }

  public boolean isValid(int row, int t) {
    return valid[row * length + t];
  }

  /** Number of valid tokens in a row. */
  public int validCount(int row) {
    int n = 0;
    for (int t = 0; t < length; t++) {
      n += valid[row * length + t] ? 1 : 0;
    }
    return n;
  }
}

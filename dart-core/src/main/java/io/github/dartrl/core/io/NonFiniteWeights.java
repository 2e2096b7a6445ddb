package io.github.dartrl.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.nio.file.Path;

/**
 * What loading does with NaN or infinite values in a weight tensor.
 *
 * <p>The default everywhere is {@link #REJECT}: a checkpoint with a NaN weight (a diverged run, a
 * bad conversion, a corrupted download) would otherwise load silently and only show up as NaN
 * log-probs or an all-NaN loss many steps later, far from the file at fault. {@link #ALLOW} is the
 * opt-out for inspecting such a checkpoint (for example to find which layer diverged).
 */
public enum NonFiniteWeights {
  /** Refuse a tensor with any NaN or infinite value, naming the file and tensor. */
  REJECT,
  /** Load non-finite values as they are. */
  ALLOW;

  /**
   * Checks one loaded floating-point tensor.
   *
   * @param tensor the loaded values (not modified; temporaries are closed)
   * @param file the file it came from, for the message
   * @param name the tensor name, for the message
   * @throws ModelFormatException under {@link #REJECT} if any value is NaN or infinite
   */
  public void check(NDArray tensor, Path file, String name) {
    if (this == ALLOW || !tensor.getDataType().isFloating()) {
      return;
    }
    long nan = count(tensor, true);
    long inf = count(tensor, false);
    if (nan + inf > 0) {
      throw new ModelFormatException(
          file,
          name,
          "expected finite values, found "
              + nan
              + " NaN and "
              + inf
              + " infinite of "
              + tensor.size()
              + " (load with NonFiniteWeights.ALLOW to inspect such a checkpoint)");
    }
  }

  private static long count(NDArray tensor, boolean nan) {
    try (NDArray mask = nan ? tensor.isNaN() : tensor.isInfinite();
        NDArray asLong = mask.toType(DataType.INT64, false);
        NDArray sum = asLong.sum()) {
      return sum.getLong();
    }
  }
}

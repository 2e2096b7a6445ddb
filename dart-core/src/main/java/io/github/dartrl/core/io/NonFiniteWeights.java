package io.github.dartrl.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
    if (allFinite(tensor)) {
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

  /**
   * Elements per slice of a finiteness check: each slice's boolean masks are {@value} bytes, so
   * checking a 151,936 × 1,536 embedding needs 16 MB of temporaries rather than a mask of the whole
   * table (and, for counting, an int64 copy of it: 8 bytes per weight, 1.9 GB at that shape, which
   * was the peak of loading a real-vocabulary checkpoint).
   */
  static final long SLICE_ELEMENTS = 16L << 20;

  /** True if every value is finite; temporaries of at most {@link #SLICE_ELEMENTS} bytes each. */
  static boolean allFinite(NDArray tensor) {
    Shape shape = tensor.getShape();
    long rows = shape.dimension() == 0 ? 1 : shape.get(0);
    long perRow = rows == 0 ? 1 : Math.max(1, shape.size() / rows);
    long step = Math.max(1, SLICE_ELEMENTS / perRow);
    for (long start = 0; start < rows; start += step) {
      boolean whole = start == 0 && start + step >= rows;
      NDArray slice = whole ? tensor : tensor.get(start + ":" + Math.min(rows, start + step));
      try (NDArray nan = slice.isNaN();
          NDArray anyNan = nan.any();
          NDArray inf = slice.isInfinite();
          NDArray anyInf = inf.any()) {
        if (anyNan.getBoolean() || anyInf.getBoolean()) {
          return false;
        }
      } finally {
        if (!whole) {
          slice.close();
        }
      }
    }
    return true;
  }

  /** Counts NaN (or infinite) values; only on the error path, so its int64 copy does not matter. */
  private static long count(NDArray tensor, boolean nan) {
    try (NDArray mask = nan ? tensor.isNaN() : tensor.isInfinite();
        NDArray asLong = mask.toType(DataType.INT64, false);
        NDArray sum = asLong.sum()) {
      return sum.getLong();
    }
  }
}

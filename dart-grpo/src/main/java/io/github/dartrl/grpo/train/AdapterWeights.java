package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDArray;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.policy.Policy;
import java.io.Serializable;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * A copy of a policy's trainable arrays as plain floats, in {@link Policy#trainableParameters()}
 * order: what the driver of a distributed step broadcasts to its workers (adapters are small
 * against the backbone; see docs/scaling.md).
 */
public final class AdapterWeights implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String[] names;
  private final float[][] values;

  private AdapterWeights(String[] names, float[][] values) {
    this.names = names;
    this.values = values;
  }

  /** The current values of {@code policy}'s trainable arrays. */
  public static AdapterWeights of(Policy policy) {
    Map<String, NDArray> params = policy.trainableParameters();
    String[] names = params.keySet().toArray(String[]::new);
    float[][] values = new float[names.length][];
    for (int i = 0; i < names.length; i++) {
      values[i] = params.get(names[i]).toFloatArray();
    }
    return new AdapterWeights(names, values);
  }

  /**
   * Writes these values into {@code policy}'s trainable arrays, which must have the same names and
   * sizes (the same method, rank and targets on the same backbone).
   */
  public void installInto(Policy policy) {
    Map<String, NDArray> params = policy.trainableParameters();
    if (!Arrays.equals(names, params.keySet().toArray(String[]::new))) {
      throw new IllegalArgumentException(
          "the broadcast adapters do not fit this policy: "
              + names.length
              + " arrays "
              + (names.length > 0 ? "from " + names[0] : "")
              + ", the policy has "
              + params.size()
              + " "
              + (params.isEmpty() ? "" : "from " + params.keySet().iterator().next()));
    }
    try (GradMode off = GradMode.disabled()) {
      for (int i = 0; i < names.length; i++) {
        NDArray p = params.get(names[i]);
        if (p.size() != values[i].length) {
          throw new IllegalArgumentException(
              names[i] + " has " + p.size() + " values here, " + values[i].length + " broadcast");
        }
        p.set(FloatBuffer.wrap(values[i]));
      }
    }
  }

  /** Number of float values. */
  public long size() {
    long n = 0;
    for (float[] v : values) {
      n += v.length;
    }
    return n;
  }

  /** Bytes of the values (4 per float), the payload of a broadcast. */
  public long bytes() {
    return 4 * size();
  }

  /** All values, concatenated in order (for comparisons). */
  public float[] flat() {
    float[] out = new float[Math.toIntExact(size())];
    int at = 0;
    for (float[] v : values) {
      System.arraycopy(v, 0, out, at, v.length);
      at += v.length;
    }
    return out;
  }
}

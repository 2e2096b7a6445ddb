package io.github.dartrl.leas.probe;

import io.github.dartrl.core.optim.Gradients;
import java.util.List;

/**
 * A gradient copied out of the native buffers and flattened per {@link ParameterGroups} group (one
 * {@code float[]} per decoder layer), so that dot products over the whole vector and per layer are
 * plain Java loops accumulated in double.
 */
public final class FlatGradient {
  private final ParameterGroups layout;
  private final float[][] values;
  private double[] squaredNorms; // computed once

  private FlatGradient(ParameterGroups layout, float[][] values) {
    this.layout = layout;
    this.values = values;
  }

  /** Copies the current contents of {@code gradients} (every array of {@code layout}). */
  public static FlatGradient copyOf(Gradients gradients, ParameterGroups layout) {
    float[][] v = new float[layout.groups()][];
    for (int g = 0; g < v.length; g++) {
      v[g] = new float[layout.size(g)];
    }
    for (String name : layout.arrays()) {
      float[] src = gradients.get(name).toFloatArray();
      if (src.length != layout.sizeOf(name)) {
        throw new IllegalStateException("gradient of " + name + " has an unexpected size");
      }
      System.arraycopy(src, 0, v[layout.groupOf(name)], layout.offsetOf(name), src.length);
    }
    return new FlatGradient(layout, v);
  }

  /** A gradient from explicit per-group values (for tests and tools). */
  public static FlatGradient of(ParameterGroups layout, float[][] values) {
    if (values.length != layout.groups()) {
      throw new IllegalArgumentException("need one array per group");
    }
    for (int g = 0; g < values.length; g++) {
      if (values[g].length != layout.size(g)) {
        throw new IllegalArgumentException("group " + g + " has the wrong size");
      }
    }
    return new FlatGradient(layout, values);
  }

  /**
   * The element-wise sum of {@code parts} (null entries skipped; all zeros if every entry is null):
   * the gradient of the sum of the parts' losses.
   */
  public static FlatGradient sum(ParameterGroups layout, List<FlatGradient> parts) {
    float[][] v = new float[layout.groups()][];
    for (int g = 0; g < v.length; g++) {
      v[g] = new float[layout.size(g)];
    }
    for (FlatGradient p : parts) {
      if (p == null) {
        continue;
      }
      if (p.layout != layout) {
        throw new IllegalArgumentException("gradients of different parameter layouts");
      }
      for (int g = 0; g < v.length; g++) {
        float[] src = p.values[g];
        float[] dst = v[g];
        for (int i = 0; i < dst.length; i++) {
          dst[i] += src[i];
        }
      }
    }
    return new FlatGradient(layout, v);
  }

  public ParameterGroups layout() {
    return layout;
  }

  /** The values of group {@code g} (not copied). */
  public float[] group(int g) {
    return values[g];
  }

  /** All values, groups concatenated (a copy). */
  public float[] flatten() {
    long n = layout.totalSize();
    float[] out = new float[Math.toIntExact(n)];
    int at = 0;
    for (float[] v : values) {
      System.arraycopy(v, 0, out, at, v.length);
      at += v.length;
    }
    return out;
  }

  /** Dot product per group with {@code other}. */
  public double[] dots(FlatGradient other) {
    if (other.layout != layout) {
      throw new IllegalArgumentException("gradients of different parameter layouts");
    }
    double[] d = new double[values.length];
    for (int g = 0; g < values.length; g++) {
      float[] a = values[g];
      float[] b = other.values[g];
      double s = 0;
      for (int i = 0; i < a.length; i++) {
        s += (double) a[i] * b[i];
      }
      d[g] = s;
    }
    return d;
  }

  /** Squared L2 norm per group (computed once; the values must not change afterwards). */
  public double[] squaredNorms() {
    if (squaredNorms == null) {
      squaredNorms = dots(this);
    }
    return squaredNorms.clone();
  }

  /** True if every value is finite and some value is non-zero. */
  public boolean isUsable() {
    boolean nonZero = false;
    for (float[] v : values) {
      for (float x : v) {
        if (!Float.isFinite(x)) {
          return false;
        }
        nonZero |= x != 0;
      }
    }
    return nonZero;
  }
}

package io.github.dartrl.leas.probe;

/**
 * Cosine similarity and angle: {@code cos = ⟨a, b⟩ / (‖a‖ ‖b‖)}, {@code angle = arccos(cos)} in
 * degrees, with cos clamped to [−1, 1] against round-off. A zero vector has no direction: NaN.
 */
public final class Angles {
  private Angles() {}

  /** Angle in degrees of a cosine (clamped). */
  public static double degrees(double cosine) {
    if (Double.isNaN(cosine)) {
      return Double.NaN;
    }
    return Math.toDegrees(Math.acos(Math.max(-1, Math.min(1, cosine))));
  }

  /** Cosine from a dot product and two squared norms; NaN if either norm is zero. */
  public static double cosine(double dot, double squaredNormA, double squaredNormB) {
    if (!(squaredNormA > 0) || !(squaredNormB > 0)) {
      return Double.NaN;
    }
    return dot / Math.sqrt(squaredNormA * squaredNormB);
  }

  /** Cosine of two vectors. */
  public static double cosine(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("vectors of different lengths");
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return cosine(dot, na, nb);
  }

  /** Angle in degrees between two vectors. */
  public static double degrees(double[] a, double[] b) {
    return degrees(cosine(a, b));
  }

  /**
   * Cosine over the whole flattened vectors (element 0) and per group (elements 1..groups), from
   * the per-group dot products and squared norms.
   */
  public static double[] cosines(FlatGradient a, FlatGradient b) {
    double[] dot = a.dots(b);
    double[] na = a.squaredNorms();
    double[] nb = b.squaredNorms();
    double[] out = new double[dot.length + 1];
    double d = 0;
    double x = 0;
    double y = 0;
    for (int g = 0; g < dot.length; g++) {
      out[g + 1] = cosine(dot[g], na[g], nb[g]);
      d += dot[g];
      x += na[g];
      y += nb[g];
    }
    out[0] = cosine(d, x, y);
    return out;
  }
}

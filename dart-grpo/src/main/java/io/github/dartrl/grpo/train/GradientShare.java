package io.github.dartrl.grpo.train;

import java.io.Serializable;

/**
 * One worker's share of a mini-batch's gradient (already divided by the whole mini-batch's loss
 * denominators, so shares add up to the local gradient) with its loss diagnostics.
 *
 * @param gradient the adapter gradient, flat in {@link AdapterWeights} order
 * @param diagnostics sums of the loss diagnostics (see GrpoUpdate's accumulator)
 * @param finite whether every loss of the share was finite
 */
public record GradientShare(float[] gradient, double[] diagnostics, boolean finite)
    implements Serializable {

  /** The sum of two shares (the reduction of a distributed step). */
  public GradientShare plus(GradientShare o) {
    if (gradient.length != o.gradient.length) {
      throw new IllegalArgumentException(
          "gradients of different sizes: " + gradient.length + " and " + o.gradient.length);
    }
    float[] g = gradient.clone();
    for (int i = 0; i < g.length; i++) {
      g[i] += o.gradient[i];
    }
    double[] d = diagnostics.clone();
    for (int i = 0; i < d.length; i++) {
      d[i] = i == 7 ? Math.max(d[i], o.diagnostics[i]) : d[i] + o.diagnostics[i]; // 7: a maximum
    }
    return new GradientShare(g, d, finite && o.finite);
  }

  /** Bytes of the gradient (4 per float). */
  public long bytes() {
    return 4L * gradient.length;
  }
}

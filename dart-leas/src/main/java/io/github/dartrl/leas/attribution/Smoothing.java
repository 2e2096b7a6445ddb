package io.github.dartrl.leas.attribution;

/**
 * How a success count k of N becomes a probability strictly inside (0, 1), so that its logit is
 * finite (the paper leaves this open; a question some model always or never solves would otherwise
 * have an infinite logit).
 */
public enum Smoothing {
  /**
   * ŝ = (k + ½)/(N + 1), the posterior mean under a Jeffreys Beta(½, ½) prior; its logit is {@code
   * log((k + ½)/(N − k + ½))}, symmetric in successes and failures. The default.
   */
  ADD_HALF {
    @Override
    public double estimate(int k, int n) {
      check(k, n);
      return (k + 0.5) / (n + 1.0);
    }
  },
  /** ŝ = k/N clipped to [1/(2N), 1 − 1/(2N)]: raw accuracy except at 0 and N. */
  CLIP {
    @Override
    public double estimate(int k, int n) {
      check(k, n);
      double lo = 1.0 / (2.0 * n);
      return Math.max(lo, Math.min(1 - lo, k / (double) n));
    }
  };

  /** The smoothed success probability of {@code k} successes in {@code n} samples. */
  public abstract double estimate(int k, int n);

  /** {@code log(ŝ/(1 − ŝ))}, always finite. */
  public double logit(int k, int n) {
    double s = estimate(k, n);
    return Math.log(s / (1 - s));
  }

  /** A formula for reports. */
  public String formula() {
    return this == ADD_HALF ? "(k+0.5)/(N+1)" : "clip(k/N, 1/(2N), 1-1/(2N))";
  }

  private static void check(int k, int n) {
    if (n < 1 || k < 0 || k > n) {
      throw new IllegalArgumentException("need 0 <= k <= N and N >= 1, got k=" + k + " N=" + n);
    }
  }
}

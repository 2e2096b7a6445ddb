package io.github.dartrl.leas.stats;

/** The standard normal distribution, for the p-values of normal approximations. */
public final class Normal {
  private Normal() {}

  /** Φ(z). */
  public static double cdf(double z) {
    return 0.5 * erfc(-z / Math.sqrt(2));
  }

  /** Two-sided tail probability {@code P(|Z| ≥ |z|) = erfc(|z|/√2)}. */
  public static double twoSidedP(double z) {
    return erfc(Math.abs(z) / Math.sqrt(2));
  }

  /**
   * The complementary error function, by the Chebyshev fit of Numerical Recipes in C (2nd ed.,
   * §6.2, {@code erfcc}): fractional error below 1.2e-7 everywhere, ample for p-values.
   */
  public static double erfc(double x) {
    double z = Math.abs(x);
    double t = 1.0 / (1.0 + 0.5 * z);
    double poly =
        -z * z
            - 1.26551223
            + t
                * (1.00002368
                    + t
                        * (0.37409196
                            + t
                                * (0.09678418
                                    + t
                                        * (-0.18628806
                                            + t
                                                * (0.27886807
                                                    + t
                                                        * (-1.13520398
                                                            + t
                                                                * (1.48851587
                                                                    + t
                                                                        * (-0.82215223
                                                                            + t
                                                                                * 0.17087277))))))));
    double ans = t * Math.exp(poly);
    return x >= 0 ? ans : 2.0 - ans;
  }
}

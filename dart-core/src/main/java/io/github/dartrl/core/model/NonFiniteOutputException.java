package io.github.dartrl.core.model;

/**
 * The model produced NaN or infinite values where a result leaves it: next-token probabilities
 * during generation, or log-probabilities when scoring. Usually finite but huge weights (e.g. 3e38)
 * whose activations overflow fp32; without this check the NaNs become a {@code <pad>} answer or a
 * NaN score and the run ends as if it had succeeded.
 */
public final class NonFiniteOutputException extends ArithmeticException {
  private static final long serialVersionUID = 1L;

  private final String what;
  private final String where;

  /**
   * @param what the values that were not finite, e.g. "next-token probabilities"
   * @param where where, e.g. "decode row 0, step 3" or "token 5"
   * @param value the offending value
   */
  public NonFiniteOutputException(String what, String where, float value) {
    super(
        "non-finite "
            + what
            + " ("
            + value
            + ") at "
            + where
            + ": the model's activations overflowed or its weights are not usable (check the"
            + " weights for huge or NaN values)");
    this.what = what;
    this.where = where;
  }

  /** The values that were not finite. */
  public String what() {
    return what;
  }

  /** Where they were found. */
  public String where() {
    return where;
  }
}

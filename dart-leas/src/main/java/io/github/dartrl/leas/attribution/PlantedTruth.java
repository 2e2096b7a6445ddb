package io.github.dartrl.leas.attribution;

import io.github.dartrl.leas.variant.CeaModel;
import java.util.Arrays;

/**
 * The true success rates a power simulation ({@link Lambda23Power}) plants an interaction into, per
 * question. Every truth keeps the hybrids' rates (λ23 does not read them, the keep-filter does) and
 * sets Unified's rate from the other three λ23 models, then moves it by the planted δ on the logit
 * scale.
 *
 * <p>{@link #MEASURED} and {@link #POOLED} make the true λ23 exactly δ: no interaction <em>on the
 * logit scale</em> at δ = 0. {@link #CONJUNCTIVE} and {@link #DISJUNCTIVE} are no interaction on
 * the scale a task's structure makes natural, and show what λ23 reads when the roles do not
 * interact in the parameters at all: a task that needs both skills (success = tool factor ×
 * reasoning factor) has additive log-success, and then {@code logit} is supermodular — λ23 &gt; 0
 * wherever both single-role gains are positive; a task either skill solves (failure = product of
 * the roles' failures) gives λ23 &lt; 0 there. The sign of λ23 thus mixes the task's structure with
 * the interference it is read as.
 */
public enum PlantedTruth {
  /**
   * Each variant's measured rate, smoothed as the analysis smooths it (so never 0 or 1): the main
   * effects the measurement saw are kept, only Unified is replaced. With δ = 0 this asks whether
   * the identical-models null stays honest when the variants differ additively.
   */
  MEASURED("as measured (smoothed), Unified replaced so that its true λ23 is δ"),
  /**
   * Every variant at the question's pooled rate over all six (the identical-models null's rate),
   * Unified moved by δ on the logit scale. With δ = 0 this <em>is</em> the null, so its detection
   * rate is the test's false-positive rate by construction.
   */
  POOLED("the pooled rate of all six variants, Unified moved by δ on the logit scale"),
  /**
   * Measured (smoothed) rates, Unified the product of the two single-role gains: {@code r_U =
   * r_Tool · r_Reas / r_Base}, then moved by δ on the logit scale. The truth of a task whose
   * success needs both roles (independent factors) with no interaction in the parameters; its true
   * λ23 at δ = 0 is positive wherever both gains are. Capped at the smoothing's largest estimate at
   * the question's N.
   */
  CONJUNCTIVE(
      "as measured (smoothed), Unified the product of the single-role gains (r_Tool · r_Reas /"
          + " r_Base: the roles' success factors multiply, no interaction in the parameters),"
          + " moved by δ on the logit scale"),
  /**
   * Measured (smoothed) rates, Unified's failure the product of the two single-role reductions of
   * failure: {@code 1 − r_U = (1 − r_Tool)(1 − r_Reas) / (1 − r_Base)}, then moved by δ. The truth
   * of a task either role can solve; its true λ23 at δ = 0 is negative wherever both gains are
   * positive. Floored at the smoothing's smallest estimate at the question's N.
   */
  DISJUNCTIVE(
      "as measured (smoothed), Unified's failure the product of the single-role reductions ((1 −"
          + " r_Tool)(1 − r_Reas) / (1 − r_Base): either role solves it, no interaction in the"
          + " parameters), moved by δ on the logit scale");

  private final String description;

  PlantedTruth(String description) {
    this.description = description;
  }

  /** How this truth sets the rates, for reports. */
  public String description() {
    return description;
  }

  /**
   * The six true rates of one question, in {@link CeaModel} order.
   *
   * @param q the measured counts of the question
   * @param smoothing the analysis's smoothing (used by every truth but {@link #POOLED})
   * @param delta the planted interaction on the logit scale (0 = none beyond this truth's own)
   */
  public double[] rates(QuestionCounts q, Smoothing smoothing, double delta) {
    if (!Double.isFinite(delta)) {
      throw new IllegalArgumentException("delta must be finite, got " + delta);
    }
    if (this == POOLED) {
      return pooled(q, delta);
    }
    double[] r = new double[CeaModel.values().length];
    for (CeaModel m : CeaModel.values()) {
      r[m.ordinal()] = smoothing.estimate(q.correct(m), q.samples(m));
    }
    double base = r[CeaModel.BASE.ordinal()];
    double reas = r[CeaModel.REAS.ordinal()];
    double tool = r[CeaModel.TOOL.ordinal()];
    int n = q.samples(CeaModel.UNIFIED);
    // a product of gains can leave [0, 1]: keep it where the analysis could still estimate it
    double z =
        switch (this) {
          case MEASURED -> logit(tool) + logit(reas) - logit(base);
          case CONJUNCTIVE -> logit(Math.min(tool * reas / base, smoothing.estimate(n, n)));
          case DISJUNCTIVE ->
              logit(Math.max(1 - (1 - tool) * (1 - reas) / (1 - base), smoothing.estimate(0, n)));
          case POOLED -> throw new AssertionError("handled above");
        };
    r[CeaModel.UNIFIED.ordinal()] = sigmoid(z + delta);
    return r;
  }

  private static double[] pooled(QuestionCounts q, double delta) {
    long k = 0;
    long n = 0;
    for (CeaModel m : CeaModel.values()) {
      k += q.correct(m);
      n += q.samples(m);
    }
    double p = k / (double) n;
    double[] r = new double[CeaModel.values().length];
    Arrays.fill(r, p);
    // a question every draw solves (or none does) has no logit to move: it stays certain
    if (p > 0 && p < 1) {
      r[CeaModel.UNIFIED.ordinal()] = sigmoid(logit(p) + delta);
    }
    return r;
  }

  static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }
}

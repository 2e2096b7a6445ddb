package io.github.dartrl.leas.attribution;

import io.github.dartrl.leas.variant.CeaModel;
import java.util.Arrays;

/**
 * The true success rates a power simulation ({@link Lambda23Power}) plants an interaction into, per
 * question. Either way Unified's rate is set so that the true λ23 of the question is exactly the
 * planted δ: {@code logit(r_Unified) = logit(r_Tool) + logit(r_Reas) − logit(r_Base) + δ}; the
 * hybrids (which λ23 does not read, but the keep-filter does) keep their rates.
 */
public enum PlantedTruth {
  /**
   * Each variant's measured rate, smoothed as the analysis smooths it (so never 0 or 1): the main
   * effects the measurement saw are kept, only Unified is replaced. With δ = 0 this asks whether
   * the identical-models null stays honest when the variants differ additively.
   */
  MEASURED,
  /**
   * Every variant at the question's pooled rate over all six (the identical-models null's rate),
   * Unified moved by δ on the logit scale. With δ = 0 this <em>is</em> the null, so its detection
   * rate is the test's false-positive rate by construction.
   */
  POOLED;

  /**
   * The six true rates of one question, in {@link CeaModel} order.
   *
   * @param q the measured counts of the question
   * @param smoothing the analysis's smoothing (used by {@link #MEASURED})
   * @param delta the planted λ23 (0 = no interaction)
   */
  public double[] rates(QuestionCounts q, Smoothing smoothing, double delta) {
    if (!Double.isFinite(delta)) {
      throw new IllegalArgumentException("delta must be finite, got " + delta);
    }
    int models = CeaModel.values().length;
    double[] r = new double[models];
    if (this == MEASURED) {
      for (CeaModel m : CeaModel.values()) {
        r[m.ordinal()] = smoothing.estimate(q.correct(m), q.samples(m));
      }
      double z =
          logit(r[CeaModel.TOOL.ordinal()])
              + logit(r[CeaModel.REAS.ordinal()])
              - logit(r[CeaModel.BASE.ordinal()])
              + delta;
      r[CeaModel.UNIFIED.ordinal()] = sigmoid(z);
    } else {
      long k = 0;
      long n = 0;
      for (CeaModel m : CeaModel.values()) {
        k += q.correct(m);
        n += q.samples(m);
      }
      double p = k / (double) n;
      Arrays.fill(r, p);
      // a question every draw solves (or none does) has no logit to move: it stays certain
      if (p > 0 && p < 1) {
        r[CeaModel.UNIFIED.ordinal()] = sigmoid(logit(p) + delta);
      }
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

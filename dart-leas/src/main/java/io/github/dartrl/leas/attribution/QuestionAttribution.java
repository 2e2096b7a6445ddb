package io.github.dartrl.leas.attribution;

import io.github.dartrl.leas.variant.CeaModel;

/**
 * The attribution of one question.
 *
 * @param counts its EM counts
 * @param smoothed ŝ per model ({@link CeaModel} order)
 * @param logits z = logit(ŝ) per model
 * @param lambda λ = X⁻¹z ({@link Coefficient} order)
 */
public record QuestionAttribution(
    QuestionCounts counts, double[] smoothed, double[] logits, double[] lambda) {

  public double lambda(Coefficient c) {
    return lambda[c.ordinal()];
  }

  public double logit(CeaModel m) {
    return logits[m.ordinal()];
  }

  public double smoothed(CeaModel m) {
    return smoothed[m.ordinal()];
  }
}

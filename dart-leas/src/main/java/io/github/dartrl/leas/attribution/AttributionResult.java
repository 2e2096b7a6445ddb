package io.github.dartrl.leas.attribution;

import io.github.dartrl.leas.stats.SignComparison;
import io.github.dartrl.leas.variant.CeaModel;
import java.util.List;
import java.util.Map;

/**
 * Everything the attribution computed.
 *
 * @param config the settings used
 * @param totalQuestions questions given
 * @param keptQuestions questions on which some model was correct at least once
 * @param questions per kept question: counts, ŝ, z and λ
 * @param coefficients per coefficient: sign counts, bootstrap CI of the negative fraction, summary,
 *     histogram
 * @param meanAccuracy mean raw accuracy k/N of each model over the kept questions
 * @param lambda23Bins the λ23 histogram's bins with the accuracy overlay
 * @param lambda23Null the identical-models null of the fraction λ23 &lt; 0 on the kept questions,
 *     with the measured fraction's p-value against it
 */
public record AttributionResult(
    AttributionConfig config,
    int totalQuestions,
    int keptQuestions,
    List<QuestionAttribution> questions,
    Map<Coefficient, CoefficientStats> coefficients,
    Map<CeaModel, Double> meanAccuracy,
    List<AccuracyBin> lambda23Bins,
    IdenticalModelsNull.Result lambda23Null) {

  public AttributionResult {
    questions = List.copyOf(questions);
    coefficients = Map.copyOf(coefficients);
    meanAccuracy = Map.copyOf(meanAccuracy);
    lambda23Bins = List.copyOf(lambda23Bins);
  }

  /** The headline: statistics of λ23 (tool × reasoning). */
  public CoefficientStats lambda23() {
    return coefficients.get(Coefficient.L23);
  }

  /** The sign test of the non-zero λ23: interference (&lt; 0) against synergy (&gt; 0). */
  public SignComparison lambda23SignTest() {
    return SignComparison.of(lambda23().negative(), lambda23().positive());
  }

  /** Questions dropped because no model answered them correctly even once. */
  public int filteredQuestions() {
    return totalQuestions - keptQuestions;
  }
}

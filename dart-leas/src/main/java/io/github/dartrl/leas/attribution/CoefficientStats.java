package io.github.dartrl.leas.attribution;

import io.github.dartrl.leas.stats.Histogram;
import io.github.dartrl.leas.stats.PercentileBootstrap;
import io.github.dartrl.leas.stats.Summary;

/**
 * The distribution of one coefficient over the kept questions.
 *
 * @param coefficient which λ
 * @param negative questions with λ &lt; 0 (for λ23: interference)
 * @param zero questions with λ = 0 exactly (e.g. identical counts)
 * @param positive questions with λ &gt; 0 (for λ23: synergy)
 * @param negativeFraction fraction with λ &lt; 0 and its percentile-bootstrap CI over questions
 * @param summary mean, quantiles, ...
 * @param histogram bins symmetric around 0
 */
public record CoefficientStats(
    Coefficient coefficient,
    int negative,
    int zero,
    int positive,
    PercentileBootstrap.Interval negativeFraction,
    Summary summary,
    Histogram histogram) {

  /** Fraction with λ &gt; 0. */
  public double positiveFraction() {
    return positive / (double) (negative + zero + positive);
  }
}

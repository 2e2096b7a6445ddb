package io.github.dartrl.leas.attribution;

/**
 * One cell of a λ23 power simulation: how often the real analysis, repeated on counts drawn from a
 * known truth, reads interference.
 *
 * @param samples N per variant and question
 * @param delta the planted λ23
 * @param share fraction of the questions that carry it
 * @param planted questions that carry it (of the truth's questions)
 * @param simulations simulated measurements
 * @param detected measurements read {@link Lambda23Reading#DETECTED}
 * @param power {@code detected / simulations}
 * @param powerLower lower end of the exact (Clopper–Pearson) interval of {@code power}
 * @param powerUpper upper end
 * @param belowNull measurements read {@link Lambda23Reading#BELOW_NULL}
 * @param signDetected measurements whose sign test of the non-zero λ23 has more negatives than
 *     positives at two-sided p &lt; {@link Lambda23Reading#ALPHA}
 * @param atOrBelowMeasured measurements whose fraction λ23 &lt; 0 is at or below the measured
 *     table's own (their share is the one-sided p-value of "the measurement came from this truth":
 *     where N is the measured N and it is below 0.05, an effect this large is ruled out; it is
 *     analysed on the measured table, so simulations that keep none count as above)
 * @param meanKept mean number of kept questions (some variant correct at least once) over the
 *     simulations that kept any (one that keeps none is read as not detected)
 * @param meanMeasured mean measured fraction λ23 &lt; 0 over those simulations
 * @param meanNullMean mean of the null's mean fraction over those simulations
 */
public record PowerCell(
    int samples,
    double delta,
    double share,
    int planted,
    int simulations,
    int detected,
    double power,
    double powerLower,
    double powerUpper,
    int belowNull,
    int signDetected,
    int atOrBelowMeasured,
    double meanKept,
    double meanMeasured,
    double meanNullMean) {

  /** {@code atOrBelowMeasured / simulations}. */
  public double atOrBelowShare() {
    return atOrBelowMeasured / (double) simulations;
  }

  /** {@code signDetected / simulations}. */
  public double signPower() {
    return signDetected / (double) simulations;
  }
}

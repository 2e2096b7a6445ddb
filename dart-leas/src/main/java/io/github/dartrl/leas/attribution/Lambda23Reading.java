package io.github.dartrl.leas.attribution;

/**
 * What a measured fraction λ23 &lt; 0 says against its identical-models null, by one fixed rule
 * shared by every report that reads it (the controls table, the power analysis): interference is
 * {@link #DETECTED} when the fraction's CI lies wholly above the null's mean <em>and</em> the
 * one-sided p-value is below {@link #ALPHA}; {@link #BELOW_NULL} when the CI lies wholly under the
 * null's mean; otherwise {@link #CONSISTENT} with no interaction.
 */
public enum Lambda23Reading {
  /** More questions with λ23 &lt; 0 than identical models give. */
  DETECTED("detected"),
  /** Fewer than identical models give (synergy, or coupled counts). */
  BELOW_NULL("below the null"),
  /** Neither. */
  CONSISTENT("consistent with the null");

  /** The significance level of the rule. */
  public static final double ALPHA = 0.05;

  private final String label;

  Lambda23Reading(String label) {
    this.label = label;
  }

  /** The words reports print. */
  public String label() {
    return label;
  }

  /**
   * The reading of one measurement.
   *
   * @param ciLower lower end of the measured fraction's CI
   * @param ciUpper upper end of that CI
   * @param nullMean the null's mean fraction
   * @param pValue the measured fraction's one-sided p-value against the null
   */
  public static Lambda23Reading of(double ciLower, double ciUpper, double nullMean, double pValue) {
    if (ciLower > nullMean && pValue < ALPHA) {
      return DETECTED;
    }
    return ciUpper < nullMean ? BELOW_NULL : CONSISTENT;
  }

  /** The reading of an attribution's λ23 against its null. */
  public static Lambda23Reading of(AttributionResult r) {
    var ci = r.lambda23().negativeFraction();
    return of(ci.lower(), ci.upper(), r.lambda23Null().mean(), r.lambda23Null().pValue());
  }
}

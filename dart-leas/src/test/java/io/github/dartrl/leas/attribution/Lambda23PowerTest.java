package io.github.dartrl.leas.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dartrl.leas.variant.CeaModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Lambda23PowerTest {
  private static final int B = CeaModel.BASE.ordinal();
  private static final int R = CeaModel.REAS.ordinal();
  private static final int T = CeaModel.TOOL.ordinal();
  private static final int U = CeaModel.UNIFIED.ordinal();

  /** {@code size} questions, N = 10, rates varied and additive-ish in the four corners. */
  static CountTable table(int size) {
    List<QuestionCounts> qs = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int base = 1 + i % 4;
      int reas = Math.min(10, base + i % 3);
      int tool = Math.min(10, base + (i / 3) % 3);
      int uni = Math.min(10, reas + tool - base);
      qs.add(
          new QuestionCounts(
              "q" + i,
              "",
              new int[] {base, reas, tool, uni, tool, reas},
              IdenticalModelsNullTest.all(10)));
    }
    return new CountTable(qs);
  }

  static PowerConfig config(
      List<Integer> n, List<Double> deltas, List<Double> shares, PlantedTruth truth, int sims) {
    return new PowerConfig(n, deltas, shares, truth, sims, 200, 200, 0.95, Smoothing.ADD_HALF, 7);
  }

  static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  @Test
  void plantedTruthHandChecked() {
    // k = Base 2, Reas 5, Tool 3, Unified 4, H_Tool 1, H_Reas 0 of N = 10: pooled 15/60 = 0.25
    QuestionCounts q =
        new QuestionCounts("q", "", new int[] {2, 5, 3, 4, 1, 0}, IdenticalModelsNullTest.all(10));
    double[] m = PlantedTruth.MEASURED.rates(q, Smoothing.ADD_HALF, -1.5);
    assertThat(m[B]).isCloseTo(2.5 / 11, within(1e-15));
    assertThat(m[R]).isCloseTo(5.5 / 11, within(1e-15));
    assertThat(m[T]).isCloseTo(3.5 / 11, within(1e-15));
    assertThat(m[CeaModel.H_TOOL.ordinal()]).isCloseTo(1.5 / 11, within(1e-15));
    assertThat(m[CeaModel.H_REAS.ordinal()]).isCloseTo(0.5 / 11, within(1e-15));
    // logit(2.5/11) = log(2.5/8.5), logit(5.5/11) = 0, logit(3.5/11) = log(3.5/7.5)
    double zu = Math.log(3.5 / 7.5) + 0 - Math.log(2.5 / 8.5) - 1.5;
    assertThat(logit(m[U])).isCloseTo(zu, within(1e-12));
    assertThat(logit(m[U]) - logit(m[T]) - logit(m[R]) + logit(m[B]))
        .isCloseTo(-1.5, within(1e-12));

    double[] p = PlantedTruth.POOLED.rates(q, Smoothing.ADD_HALF, -1.5);
    for (CeaModel v : CeaModel.values()) {
      if (v != CeaModel.UNIFIED) {
        assertThat(p[v.ordinal()]).as(v.label()).isEqualTo(0.25);
      }
    }
    assertThat(logit(p[U])).isCloseTo(logit(0.25) - 1.5, within(1e-12));
    assertThat(PlantedTruth.POOLED.rates(q, Smoothing.ADD_HALF, 0)[U]).isEqualTo(0.25);
    // a certain question has no logit to move
    QuestionCounts sure =
        new QuestionCounts("s", "", IdenticalModelsNullTest.all(4), IdenticalModelsNullTest.all(4));
    assertThat(PlantedTruth.POOLED.rates(sure, Smoothing.ADD_HALF, -2)[U]).isEqualTo(1.0);
    assertThatThrownBy(() -> PlantedTruth.MEASURED.rates(q, Smoothing.ADD_HALF, Double.NaN))
        .hasMessageContaining("delta must be finite");
  }

  /**
   * One question, pooled rate 0.3, δ = −1.5 on Unified, N = 4: the mean measured fraction λ23 &lt;
   * 0 over many simulations must match the exact P(λ23 &lt; 0 | some count &gt; 0) under the
   * planted rates, enumerated over the four counts λ23 reads (the hybrids only enter the filter).
   */
  @Test
  void drawsFollowThePlantedRates() {
    QuestionCounts q =
        new QuestionCounts("q", "", new int[] {3, 3, 3, 3, 3, 3}, IdenticalModelsNullTest.all(10));
    double delta = -1.5;
    int n = 4;
    double[] rate = PlantedTruth.POOLED.rates(q, Smoothing.ADD_HALF, delta);
    double neg = 0;
    Smoothing s = Smoothing.ADD_HALF;
    for (int kb = 0; kb <= n; kb++) {
      for (int kr = 0; kr <= n; kr++) {
        for (int kt = 0; kt <= n; kt++) {
          for (int ku = 0; ku <= n; ku++) {
            double l23 = s.logit(ku, n) - s.logit(kt, n) - s.logit(kr, n) + s.logit(kb, n);
            if (l23 < -1e-12) {
              neg +=
                  IdenticalModelsNullTest.pmf(n, kb, rate[B])
                      * IdenticalModelsNullTest.pmf(n, kr, rate[R])
                      * IdenticalModelsNullTest.pmf(n, kt, rate[T])
                      * IdenticalModelsNullTest.pmf(n, ku, rate[U]);
            }
          }
        }
      }
    }
    double none = 1;
    for (double r : rate) {
      none *= Math.pow(1 - r, n);
    }
    double exact = neg / (1 - none);
    int sims = 6000;
    PowerConfig c =
        new PowerConfig(
            List.of(n), List.of(delta), List.of(1.0), PlantedTruth.POOLED, sims, 1, 1, 0.95, s, 3);
    PowerCell cell = Lambda23Power.simulate(new CountTable(List.of(q)), c).cells().get(0);
    assertThat(cell.planted()).isEqualTo(1);
    double se = Math.sqrt(exact * (1 - exact) / sims);
    assertThat(cell.meanMeasured()).isCloseTo(exact, within(4 * se));
    assertThat(exact).isGreaterThan(0.4); // δ = −1.5 makes λ23 < 0 the common outcome
  }

  @Test
  void theNullItselfIsRarelyReadAsInterference() {
    // pooled truth, δ = 0: the simulated measurements are draws from the null
    PowerResult r =
        Lambda23Power.simulate(
            table(60), config(List.of(10), List.of(0.0), List.of(1.0), PlantedTruth.POOLED, 200));
    PowerCell c = r.cells().get(0);
    assertThat(c.power()).isLessThanOrEqualTo(0.08);
    assertThat(c.belowNull() / 200.0).isLessThanOrEqualTo(0.08);
    assertThat(c.signPower()).isLessThanOrEqualTo(0.08);
    assertThat(c.meanMeasured()).isCloseTo(c.meanNullMean(), within(0.01));
  }

  @Test
  void strongInterferenceIsDetectedAndPowerGrowsWithSamplesAndShare() {
    PowerResult r =
        Lambda23Power.simulate(
            table(60),
            config(
                List.of(5, 40),
                List.of(0.0, -1.0, -3.0),
                List.of(0.5, 1.0),
                PlantedTruth.POOLED,
                40));
    assertThat(r.cells()).hasSize(12);
    assertThat(r.questions()).isEqualTo(60);
    assertThat(r.measuredSamples()).isEqualTo(10);
    assertThat(r.cell(40, -3.0, 1.0).power()).isGreaterThanOrEqualTo(0.95);
    assertThat(r.cell(40, -3.0, 1.0).signPower()).isGreaterThanOrEqualTo(0.95);
    assertThat(r.cell(40, -3.0, 1.0).planted()).isEqualTo(60);
    assertThat(r.cell(40, -3.0, 0.5).planted()).isEqualTo(30);
    assertThat(r.cell(40, -1.0, 1.0).power()).isGreaterThan(r.cell(5, -1.0, 1.0).power());
    assertThat(r.cell(40, -1.0, 1.0).power()).isGreaterThan(r.cell(40, -1.0, 0.5).power());
    assertThat(r.cell(40, -3.0, 1.0).meanMeasured())
        .isGreaterThan(r.cell(40, 0.0, 1.0).meanMeasured() + 0.2);
    for (PowerCell c : r.cells()) {
      assertThat(c.powerLower()).isBetween(0.0, c.power());
      assertThat(c.powerUpper()).isBetween(c.power(), 1.0);
    }
    assertThatThrownBy(() -> r.cell(20, -1.0, 1.0)).hasMessageContaining("no cell N=20");
    // the measured table's own reading, and how often each truth falls at or below it
    double own =
        InterferenceAttribution.analyze(table(60), AttributionConfig.defaults())
            .lambda23()
            .negativeFraction()
            .estimate();
    assertThat(r.measuredFraction()).isEqualTo(own);
    assertThat(r.cell(40, -3.0, 1.0).atOrBelowMeasured()).isZero();
  }

  @Test
  void atOrBelowMeasuredCountsSimulationsAsLowAsTheMeasurement() {
    // every question measured with λ23 < 0 (Unified 2 of 10, the rest 5 of 10): fraction 1, and
    // every simulation is at or below it
    List<QuestionCounts> worst = new ArrayList<>();
    List<QuestionCounts> flat = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      worst.add(
          new QuestionCounts(
              "w" + i, "", new int[] {5, 5, 5, 2, 5, 5}, IdenticalModelsNullTest.all(10)));
      // equal counts: λ23 = 0 everywhere, fraction 0
      flat.add(
          new QuestionCounts(
              "f" + i, "", IdenticalModelsNullTest.all(4), IdenticalModelsNullTest.all(10)));
    }
    PowerConfig c = config(List.of(10), List.of(0.0, -2.0), List.of(1.0), PlantedTruth.POOLED, 30);
    PowerResult w = Lambda23Power.simulate(new CountTable(worst), c);
    assertThat(w.measuredFraction()).isEqualTo(1.0);
    for (PowerCell cell : w.cells()) {
      assertThat(cell.atOrBelowMeasured()).isEqualTo(30);
    }
    PowerResult f = Lambda23Power.simulate(new CountTable(flat), c);
    assertThat(f.measuredFraction()).isZero();
    // a planted δ = −2 on 30 questions never leaves all thirty λ23 ≥ 0
    assertThat(f.cell(10, -2.0, 1.0).atOrBelowMeasured()).isZero();
  }

  @Test
  void exactIntervalOfThePowerIncludingItsEnds() {
    // 0 of 40: upper = 1 − 0.025^(1/40) = 0.08810 (the classic "rule of three" is 3/40 = 0.075)
    assertThat(Lambda23Power.clopperPearson(0, 40, 0.95)[0]).isZero();
    assertThat(Lambda23Power.clopperPearson(0, 40, 0.95)[1]).isCloseTo(0.08810, within(1e-5));
    assertThat(Lambda23Power.clopperPearson(40, 40, 0.95)[0]).isCloseTo(0.91190, within(1e-5));
    assertThat(Lambda23Power.clopperPearson(40, 40, 0.95)[1]).isEqualTo(1.0);
    // 10 of 40: exact 95% interval [0.1269, 0.4120] (binomial tails solved by bisection)
    double[] mid = Lambda23Power.clopperPearson(10, 40, 0.95);
    assertThat(mid[0]).isCloseTo(0.1269, within(1e-4));
    assertThat(mid[1]).isCloseTo(0.41196, within(1e-4));
  }

  @Test
  void theSameSeedGivesTheSameResult() {
    PowerConfig c = config(List.of(10), List.of(-1.0), List.of(0.5), PlantedTruth.MEASURED, 10);
    assertThat(Lambda23Power.simulate(table(30), c))
        .usingRecursiveComparison()
        .isEqualTo(Lambda23Power.simulate(table(30), c));
  }

  @Test
  void refusesATableWithNothingToPlantInto() {
    CountTable empty =
        new CountTable(
            List.of(new QuestionCounts("q", "", new int[6], IdenticalModelsNullTest.all(10))));
    PowerConfig c = config(List.of(10), List.of(-1.0), List.of(1.0), PlantedTruth.MEASURED, 2);
    assertThatThrownBy(() -> Lambda23Power.simulate(empty, c))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nothing to plant");
  }

  @Test
  void configRejectsBadValues() {
    List<Integer> n = List.of(10);
    List<Double> d = List.of(-1.0);
    List<Double> s = List.of(1.0);
    assertThatThrownBy(() -> config(List.of(0), d, s, PlantedTruth.MEASURED, 1))
        .hasMessageContaining("samples per variant must be >= 1, got 0");
    assertThatThrownBy(() -> config(n, List.of(Double.NaN), s, PlantedTruth.MEASURED, 1))
        .hasMessageContaining("deltas must be finite");
    assertThatThrownBy(() -> config(n, d, List.of(1.5), PlantedTruth.MEASURED, 1))
        .hasMessageContaining("shares must be in [0, 1], got 1.5");
    assertThatThrownBy(() -> config(n, d, s, PlantedTruth.MEASURED, 0))
        .hasMessageContaining("simulations must be >= 1");
    assertThatThrownBy(() -> config(List.of(), d, s, PlantedTruth.MEASURED, 1))
        .hasMessageContaining("at least one value");
    assertThatThrownBy(
            () -> new PowerConfig(n, d, s, PlantedTruth.POOLED, 1, 0, 1, 0.95, Smoothing.CLIP, 0))
        .hasMessageContaining("nullReplicates must be >= 1");
    assertThatThrownBy(
            () -> new PowerConfig(n, d, s, PlantedTruth.POOLED, 1, 1, 1, 1.0, Smoothing.CLIP, 0))
        .hasMessageContaining("confidenceLevel must be in (0, 1)");
    assertThat(PowerConfig.defaults().cells()).isEqualTo(24);
  }
}

package io.github.dartrl.leas.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dartrl.leas.variant.CeaModel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conjunctive and disjunctive truths: no interaction in the parameters, on the scale the task's
 * structure makes natural, and what λ23 (no interaction on the logit scale) reads of them.
 */
class PlantedStructureTest {
  private static final int B = CeaModel.BASE.ordinal();
  private static final int R = CeaModel.REAS.ordinal();
  private static final int T = CeaModel.TOOL.ordinal();
  private static final int U = CeaModel.UNIFIED.ordinal();
  private static final Smoothing S = Smoothing.ADD_HALF;

  private static QuestionCounts counts(int base, int reas, int tool, int n) {
    return counts("q", base, reas, tool, n);
  }

  private static QuestionCounts counts(String id, int base, int reas, int tool, int n) {
    return new QuestionCounts(
        id, "", new int[] {base, reas, tool, 0, tool, reas}, IdenticalModelsNullTest.all(n));
  }

  private static double lambda23(double[] r) {
    return logit(r[U]) - logit(r[T]) - logit(r[R]) + logit(r[B]);
  }

  private static double logit(double p) {
    return Math.log(p / (1 - p));
  }

  @Test
  void ratesHandChecked() {
    // Base 2, Reas 5, Tool 3 of N = 10, smoothed: 2.5/11, 5.5/11, 3.5/11
    QuestionCounts q = counts(2, 5, 3, 10);
    double[] c = PlantedTruth.CONJUNCTIVE.rates(q, S, 0);
    // (3.5/11)(5.5/11)/(2.5/11) = 19.25/27.5 = 0.7
    assertThat(c[U]).isCloseTo(0.7, within(1e-12));
    assertThat(c[B]).isCloseTo(2.5 / 11, within(1e-15));
    assertThat(c[CeaModel.H_TOOL.ordinal()]).isCloseTo(3.5 / 11, within(1e-15));
    assertThat(logit(PlantedTruth.CONJUNCTIVE.rates(q, S, -1.25)[U]))
        .isCloseTo(logit(0.7) - 1.25, within(1e-12));
    // 1 − (7.5/11)(5.5/11)/(8.5/11) = 1 − 41.25/93.5
    double[] d = PlantedTruth.DISJUNCTIVE.rates(q, S, 0);
    assertThat(d[U]).isCloseTo(1 - 41.25 / 93.5, within(1e-12));
    assertThat(logit(PlantedTruth.DISJUNCTIVE.rates(q, S, 0.5)[U]))
        .isCloseTo(logit(1 - 41.25 / 93.5) + 0.5, within(1e-12));
  }

  @Test
  void productsThatLeaveTheUnitIntervalAreCappedAtTheSmoothingsEnds() {
    // Base 1, Reas 9, Tool 9 of 10: (9.5/11)²/(1.5/11) > 1 → the largest estimate at N = 10
    assertThat(PlantedTruth.CONJUNCTIVE.rates(counts(1, 9, 9, 10), S, 0)[U])
        .isCloseTo(10.5 / 11, within(1e-15));
    // Base 9, Reas 1, Tool 1: 1 − (9.5/11)²/(1.5/11) < 0 → the smallest estimate
    assertThat(PlantedTruth.DISJUNCTIVE.rates(counts(9, 1, 1, 10), S, 0)[U])
        .isCloseTo(0.5 / 11, within(1e-15));
  }

  /**
   * The claim docs/leas.md makes: with no interaction in the parameters, a conjunctive task's true
   * λ23 is positive wherever both single-role gains are positive (log-success is additive and logit
   * = log s − log(1 − s) with −log(1 − xy) supermodular), a disjunctive task's negative; with one
   * gain zero it is exactly zero; with one gain positive and one negative the signs swap. Checked
   * on every count triple of N = 12 that the cap does not touch.
   */
  @Test
  void structureAloneSetsTheSignOfLambda23() {
    int n = 12;
    int checked = 0;
    for (int b = 0; b <= n; b++) {
      for (int r = 0; r <= n; r++) {
        for (int t = 0; t <= n; t++) {
          QuestionCounts q = counts(b, r, t, n);
          double[] c = PlantedTruth.CONJUNCTIVE.rates(q, S, 0);
          double[] d = PlantedTruth.DISJUNCTIVE.rates(q, S, 0);
          double sb = S.estimate(b, n);
          double sr = S.estimate(r, n);
          double st = S.estimate(t, n);
          boolean capped = st * sr / sb >= S.estimate(n, n);
          boolean floored = 1 - (1 - st) * (1 - sr) / (1 - sb) <= S.estimate(0, n);
          int sign = Integer.signum(r - b) * Integer.signum(t - b);
          String at = "b=" + b + " r=" + r + " t=" + t;
          if (!capped) {
            assertSign(lambda23(c), sign, at + " conjunctive");
            checked++;
          }
          if (!floored) {
            assertSign(lambda23(d), -sign, at + " disjunctive");
            checked++;
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(2 * 13 * 13 * 13 / 2);
  }

  private static void assertSign(double lambda, int sign, String at) {
    if (sign == 0) {
      assertThat(lambda).as(at).isCloseTo(0, within(1e-12));
    } else if (sign > 0) {
      assertThat(lambda).as(at).isGreaterThan(1e-12);
    } else {
      assertThat(lambda).as(at).isLessThan(-1e-12);
    }
  }

  /**
   * Through the whole reading: on questions where both roles gain, the logit-additive truth sits on
   * the null, the conjunctive one reads below it (synergy) and the disjunctive one gives more λ23
   * &lt; 0 than the additive one (toward interference), with no interaction planted in any.
   */
  @Test
  void theReadingSeesStructureAsInteraction() {
    List<QuestionCounts> qs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      // Base 2, Reas and Tool 4 or 5 of 10: both gains positive, the conjunction below the cap
      qs.add(counts("q" + i, 2, 4 + i % 2, 4 + (i / 2) % 2, 10));
    }
    CountTable table = new CountTable(qs);
    double additive = meanFraction(table, PlantedTruth.MEASURED);
    double conjunctive = meanFraction(table, PlantedTruth.CONJUNCTIVE);
    double disjunctive = meanFraction(table, PlantedTruth.DISJUNCTIVE);
    assertThat(conjunctive).isLessThan(additive - 0.1);
    assertThat(disjunctive).isGreaterThan(additive + 0.05);

    PowerCell conj = cell(table, PlantedTruth.CONJUNCTIVE);
    assertThat(conj.belowNull()).isGreaterThan(conj.simulations() / 2);
    assertThat(conj.detected()).isZero();
    PowerCell add = cell(table, PlantedTruth.MEASURED);
    assertThat(add.belowNull() + add.detected()).isLessThan(add.simulations() / 4);
  }

  private static PowerCell cell(CountTable table, PlantedTruth truth) {
    PowerConfig c =
        new PowerConfig(List.of(50), List.of(0.0), List.of(1.0), truth, 40, 200, 200, 0.95, S, 11);
    return Lambda23Power.simulate(table, c).cells().get(0);
  }

  private static double meanFraction(CountTable table, PlantedTruth truth) {
    return cell(table, truth).meanMeasured();
  }
}

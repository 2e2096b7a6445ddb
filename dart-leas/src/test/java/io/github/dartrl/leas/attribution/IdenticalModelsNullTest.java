package io.github.dartrl.leas.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dartrl.leas.variant.CeaModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdenticalModelsNullTest {

  /** Counts in CeaModel order: Base, Reas, Tool, Unified, H_Tool, H_Reas. */
  static QuestionCounts q(String id, int[] k, int[] n) {
    return new QuestionCounts(id, "", k, n);
  }

  static int[] all(int n) {
    return new int[] {n, n, n, n, n, n};
  }

  /** Binomial pmf. */
  static double pmf(int n, int k, double p) {
    double c = 1;
    for (int i = 0; i < k; i++) {
      c = c * (n - i) / (i + 1);
    }
    return c * Math.pow(p, k) * Math.pow(1 - p, n - k);
  }

  /**
   * Exact P(λ23 &lt; 0 | some of the six counts &gt; 0) for one question under the null, by
   * enumerating the four counts that enter λ23 (closed form λ23 = z_U − z_T − z_R + z_B). λ23 &lt;
   * 0 needs the four counts to differ, hence some count &gt; 0: the event lies inside the filter,
   * so the conditional probability is P(λ23 &lt; 0) / P(some count &gt; 0).
   */
  static double exact(QuestionCounts c, Smoothing s) {
    int[] k = c.correct();
    int[] n = c.samples();
    double p = (double) java.util.Arrays.stream(k).sum() / java.util.Arrays.stream(n).sum();
    int b = n[CeaModel.BASE.ordinal()];
    int r = n[CeaModel.REAS.ordinal()];
    int t = n[CeaModel.TOOL.ordinal()];
    int u = n[CeaModel.UNIFIED.ordinal()];
    double neg = 0;
    for (int kb = 0; kb <= b; kb++) {
      for (int kr = 0; kr <= r; kr++) {
        for (int kt = 0; kt <= t; kt++) {
          for (int ku = 0; ku <= u; ku++) {
            double l23 = s.logit(ku, u) - s.logit(kt, t) - s.logit(kr, r) + s.logit(kb, b);
            if (l23 < -1e-12) {
              neg += pmf(b, kb, p) * pmf(r, kr, p) * pmf(t, kt, p) * pmf(u, ku, p);
            }
          }
        }
      }
    }
    int total = java.util.Arrays.stream(n).sum();
    return neg / (1 - Math.pow(1 - p, total));
  }

  // q1: N = 1 everywhere, pooled rate 3/6 = 1/2. By hand: z(0) = −ln 3, z(1) = ln 3, so λ23 < 0
  // iff #successes among {Unified, Base} < #successes among {Tool, Reas}: P(X < Y) with X, Y
  // ~ Bin(2, 1/2) independent = (1 − P(X = Y))/2 = (1 − 6/16)/2 = 5/16; conditioned on some of
  // the six succeeding (1 − 1/64): 5/16 · 64/63 = 20/63.
  static final QuestionCounts Q1 = q("q1", new int[] {1, 1, 1, 0, 0, 0}, all(1));
  // q2: N = 2, pooled rate 3/12 = 1/4
  static final QuestionCounts Q2 = q("q2", new int[] {0, 2, 0, 1, 0, 0}, all(2));
  // q3: unequal N (the hybrids' N only enters through the filter), pooled rate 4/13
  static final QuestionCounts Q3 =
      q("q3", new int[] {1, 0, 2, 0, 1, 0}, new int[] {2, 3, 2, 2, 1, 3});

  // q4: N = 1, only a hybrid ever succeeded, pooled rate 1/6: all six draws are 0 with
  // probability (5/6)^6 ≈ 1/3, so the filter's conditioning changes this question's null a lot
  // (and a pooling over the four λ23 models would give rate 0)
  static final QuestionCounts Q4 = q("q4", new int[] {0, 0, 0, 0, 1, 0}, all(1));

  @Test
  void enumerationReproducesTheHandComputedCase() {
    assertThat(exact(Q1, Smoothing.ADD_HALF)).isCloseTo(20.0 / 63, within(1e-12));
    // q4 by hand: X, Y ~ Bin(2, 1/6), P(X = Y) = (25² + 10² + 1²)/36² = 726/1296, P(X < Y) =
    // 285/1296, over P(some success) = 1 − (5/6)^6
    assertThat(exact(Q4, Smoothing.ADD_HALF))
        .isCloseTo(285.0 / 1296 / (1 - Math.pow(5.0 / 6, 6)), within(1e-12));
  }

  @Test
  void monteCarloNullAgreesWithTheExactNullWithinItsStandardError() {
    List<QuestionCounts> kept = List.of(Q1, Q2, Q3, Q4);
    for (Smoothing s : Smoothing.values()) {
      // the null mean is the mean of the per-question probabilities
      double expected = (exact(Q1, s) + exact(Q2, s) + exact(Q3, s) + exact(Q4, s)) / 4;
      IdenticalModelsNull.Result r = IdenticalModelsNull.simulate(kept, s, 40_000, 0.95, 7, 0.5);
      assertThat(r.standardError()).isCloseTo(r.std() / Math.sqrt(40_000), within(1e-15));
      assertThat(r.mean()).as(s.name()).isCloseTo(expected, within(4 * r.standardError()));
      assertThat(r.meanZero() + r.meanPositive() + r.mean()).isCloseTo(1, within(1e-9));
      // four questions: every replicate's fraction is j/4
      for (double f : r.fractions()) {
        assertThat(f * 4).isCloseTo(Math.rint(f * 4), within(1e-12));
      }
    }
    // one question alone: the hand-computed 20/63
    IdenticalModelsNull.Result one =
        IdenticalModelsNull.simulate(List.of(Q1), Smoothing.ADD_HALF, 40_000, 0.95, 3, 0);
    assertThat(one.mean()).isCloseTo(20.0 / 63, within(4 * one.standardError()));
  }

  @Test
  void pValueIsTheShareOfReplicatesAtOrAboveTheMeasuredFraction() {
    List<QuestionCounts> kept = List.of(Q1, Q2, Q3);
    IdenticalModelsNull.Result r =
        IdenticalModelsNull.simulate(kept, Smoothing.ADD_HALF, 5000, 0.95, 11, 2.0 / 3);
    long atOrAbove =
        java.util.Arrays.stream(r.fractions()).filter(f -> f >= 2.0 / 3 - 1e-9).count();
    assertThat(r.atOrAbove()).isEqualTo((int) atOrAbove);
    assertThat(r.pValue()).isEqualTo(atOrAbove / 5000.0);
    assertThat(r.pValue()).isStrictlyBetween(0.0, 1.0);
    IdenticalModelsNull.Result zero =
        IdenticalModelsNull.simulate(kept, Smoothing.ADD_HALF, 5000, 0.95, 11, 0);
    assertThat(zero.pValue()).isEqualTo(1.0);
    assertThat(zero.lower()).isLessThanOrEqualTo(zero.mean());
    assertThat(zero.upper()).isGreaterThanOrEqualTo(zero.mean());
  }

  @Test
  void sameSeedSameNullOtherSeedOtherDraws() {
    List<QuestionCounts> kept = List.of(Q1, Q2, Q3);
    var a = IdenticalModelsNull.simulate(kept, Smoothing.ADD_HALF, 500, 0.95, 5, 0.3);
    var b = IdenticalModelsNull.simulate(kept, Smoothing.ADD_HALF, 500, 0.95, 5, 0.3);
    var c = IdenticalModelsNull.simulate(kept, Smoothing.ADD_HALF, 500, 0.95, 6, 0.3);
    assertThat(b.fractions()).containsExactly(a.fractions());
    assertThat(b.mean()).isEqualTo(a.mean());
    assertThat(b.pValue()).isEqualTo(a.pValue());
    assertThat(c.fractions()).isNotEqualTo(a.fractions());
  }

  @Test
  void theAttributionReportsTheNullOfItsKeptQuestions() {
    // q0 has no success anywhere: filtered out of the real analysis and of the null alike
    QuestionCounts q0 = q("q0", new int[6], all(2));
    CountTable t = new CountTable(List.of(q0, Q1, Q2, Q3));
    AttributionConfig cfg =
        AttributionConfig.defaults().withBootstrap(200, 4).withNullReplicates(3000);
    AttributionResult r = InterferenceAttribution.analyze(t, cfg);
    IdenticalModelsNull.Result n = r.lambda23Null();
    assertThat(n.replicates()).isEqualTo(3000);
    assertThat(n.seed()).isEqualTo(cfg.nullSeed()).isEqualTo(4 * 31 + 6);
    assertThat(n.measured()).isEqualTo(r.lambda23().negativeFraction().estimate());
    IdenticalModelsNull.Result direct =
        IdenticalModelsNull.simulate(
            List.of(Q1, Q2, Q3), Smoothing.ADD_HALF, 3000, 0.95, cfg.nullSeed(), n.measured());
    assertThat(n.fractions()).containsExactly(direct.fractions());
    // and a fresh analysis gives the same null (seeded)
    assertThat(InterferenceAttribution.analyze(t, cfg).lambda23Null().fractions())
        .containsExactly(n.fractions());
  }

  @Test
  void rejectsWhatTheRealAnalysisWouldHaveFiltered() {
    assertThatThrownBy(
            () ->
                IdenticalModelsNull.simulate(
                    List.of(q("z", new int[6], all(3))), Smoothing.ADD_HALF, 10, 0.95, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("question z");
    assertThatThrownBy(
            () -> IdenticalModelsNull.simulate(List.of(), Smoothing.ADD_HALF, 10, 0.95, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

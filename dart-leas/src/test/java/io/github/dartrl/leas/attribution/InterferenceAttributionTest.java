package io.github.dartrl.leas.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dartrl.leas.variant.CeaModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterferenceAttributionTest {
  @TempDir Path dir;

  /** Counts in CeaModel order: Base, Reas, Tool, Unified, H_Tool, H_Reas. */
  static QuestionCounts q(String id, int n, int... k) {
    int[] ns = new int[6];
    Arrays.fill(ns, n);
    return new QuestionCounts(id, "question " + id, k, ns);
  }

  static AttributionConfig fast() {
    return AttributionConfig.defaults().withBootstrap(500, 5);
  }

  @Test
  void oneQuestionByHand() {
    // z = log((k+.5)/(N-k+.5)), N = 10; λ23 = zU − zT − zR + zB (values from an independent
    // script)
    AttributionResult r =
        InterferenceAttribution.analyze(
            new CountTable(List.of(q("a", 10, 2, 6, 5, 4, 3, 5))), fast());
    QuestionAttribution a = r.questions().get(0);
    assertThat(a.lambda(Coefficient.L23)).isCloseTo(-1.9592249918727505, within(1e-12));
    assertThat(a.lambda(Coefficient.L2)).isCloseTo(0.46163537957521894, within(1e-12));
    assertThat(a.lambda(Coefficient.L3)).isCloseTo(1.2237754316221157, within(1e-12));
    assertThat(a.lambda(Coefficient.L12)).isCloseTo(0.7621400520468967, within(1e-12));
    assertThat(a.lambda(Coefficient.L13)).isCloseTo(0.36772478012531734, within(1e-12));
    assertThat(a.lambda(Coefficient.L1)).isCloseTo(-1.2237754316221157, within(1e-12));
    assertThat(a.smoothed(CeaModel.BASE)).isCloseTo(2.5 / 11, within(1e-15));
    assertThat(r.lambda23().negative()).isEqualTo(1);
    assertThat(r.lambda23().negativeFraction().estimate()).isEqualTo(1.0);
  }

  @Test
  void filtersQuestionsNoModelSolvesAndCountsSigns() {
    List<QuestionCounts> qs = new ArrayList<>();
    qs.add(q("never", 5, 0, 0, 0, 0, 0, 0)); // filtered
    qs.add(q("interf", 5, 1, 4, 4, 3, 2, 2)); // zU − zT − zR + zB < 0
    qs.add(q("synergy", 5, 1, 1, 1, 5, 1, 1)); // > 0
    qs.add(q("flat", 5, 2, 2, 2, 2, 2, 2)); // exactly 0
    AttributionResult r = InterferenceAttribution.analyze(new CountTable(qs), fast());
    assertThat(r.totalQuestions()).isEqualTo(4);
    assertThat(r.keptQuestions()).isEqualTo(3);
    assertThat(r.filteredQuestions()).isEqualTo(1);
    assertThat(r.questions())
        .extracting(x -> x.counts().id())
        .containsExactly("interf", "synergy", "flat");
    CoefficientStats l23 = r.lambda23();
    assertThat(l23.negative()).isEqualTo(1);
    assertThat(l23.positive()).isEqualTo(1);
    assertThat(l23.zero()).isEqualTo(1);
    assertThat(l23.negativeFraction().estimate()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(r.meanAccuracy().get(CeaModel.UNIFIED)).isCloseTo((3 + 5 + 2) / 15.0, within(1e-12));
    // the λ23 bins partition the kept questions, and 0 is a bin edge
    assertThat(r.lambda23Bins().stream().mapToInt(AccuracyBin::questions).sum()).isEqualTo(3);
    assertThat(r.lambda23Bins()).anySatisfy(b -> assertThat(b.lo()).isEqualTo(0.0));
  }

  @Test
  void bootstrapIsSeededAndReproducible() {
    SplittableRandom rng = new SplittableRandom(1);
    List<QuestionCounts> qs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      int[] k = new int[6];
      for (int m = 0; m < 6; m++) {
        k[m] = rng.nextInt(21);
      }
      k[0] = Math.max(k[0], 1);
      qs.add(q("q" + i, 20, k));
    }
    CountTable t = new CountTable(qs);
    AttributionResult a = InterferenceAttribution.analyze(t, fast());
    AttributionResult b = InterferenceAttribution.analyze(t, fast());
    AttributionResult c =
        InterferenceAttribution.analyze(t, AttributionConfig.defaults().withBootstrap(500, 6));
    assertThat(b.lambda23().negativeFraction()).isEqualTo(a.lambda23().negativeFraction());
    assertThat(c.lambda23().negativeFraction()).isNotEqualTo(a.lambda23().negativeFraction());
    var ci = a.lambda23().negativeFraction();
    assertThat(ci.lower()).isLessThanOrEqualTo(ci.estimate());
    assertThat(ci.upper()).isGreaterThanOrEqualTo(ci.estimate());
    // over questions, the bootstrap fraction is Binomial(n, p̂) / n: its percentile bounds are the
    // binomial quantiles, within two grid steps at B = 500 (a 2x width misses by ~4 steps)
    int n = a.keptQuestions();
    double phat = ci.estimate();
    assertThat(phat).isEqualTo(a.lambda23().negative() / (double) n);
    double level = fast().confidenceLevel();
    assertThat(ci.lower())
        .isCloseTo(binomialQuantile(n, phat, (1 - level) / 2) / (double) n, within(2.0 / n));
    assertThat(ci.upper())
        .isCloseTo(binomialQuantile(n, phat, (1 + level) / 2) / (double) n, within(2.0 / n));
  }

  /** Smallest k with P(Binomial(n, p) ≤ k) ≥ q, from the exact pmf. */
  static int binomialQuantile(int n, double p, double q) {
    double pmf = Math.pow(1 - p, n);
    double cdf = pmf;
    int k = 0;
    while (cdf < q && k < n) {
      pmf *= (n - k) / (k + 1.0) * p / (1 - p);
      k++;
      cdf += pmf;
    }
    return k;
  }

  @Test
  void emptyOrFullyFilteredTablesAreErrorsNotEmptyResults() {
    assertThatThrownBy(() -> InterferenceAttribution.analyze(new CountTable(List.of()), fast()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    CountTable none =
        new CountTable(List.of(q("a", 3, 0, 0, 0, 0, 0, 0), q("b", 3, 0, 0, 0, 0, 0, 0)));
    assertThatThrownBy(() -> InterferenceAttribution.analyze(none, fast()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("all 2 questions were filtered out");
  }

  @Test
  void countTableRoundTripsAndReportsBadLines() throws Exception {
    CountTable t =
        new CountTable(List.of(q("a", 4, 1, 2, 3, 4, 0, 1), q("b,\"c\"", 7, 0, 7, 1, 2, 3, 4)));
    Path f = dir.resolve("counts.jsonl");
    t.write(f);
    CountTable back = CountTable.read(f);
    assertThat(back.size()).isEqualTo(2);
    assertThat(back.questions().get(1).id()).isEqualTo("b,\"c\"");
    assertThat(back.questions().get(1).correct()).containsExactly(0, 7, 1, 2, 3, 4);
    assertThat(back.questions().get(0).samples()).containsOnly(4);

    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, Files.readString(f).replace("\"H_Reas\":4}", "\"H_Reas\":9}"));
    assertThatThrownBy(() -> CountTable.read(bad))
        .hasMessageContaining("line 2")
        .hasMessageContaining("H_Reas");
    Path missing = dir.resolve("missing.jsonl");
    Files.writeString(missing, "{\"id\":\"x\",\"k\":{\"Base\":1},\"n\":{\"Base\":2}}\n");
    assertThatThrownBy(() -> CountTable.read(missing)).hasMessageContaining("line 1");
    assertThatThrownBy(
            () -> new CountTable(List.of(q("a", 1, 0, 0, 0, 0, 0, 1), q("a", 1, 1, 0, 0, 0, 0, 0))))
        .hasMessageContaining("duplicate");
  }
}

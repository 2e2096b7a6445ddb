package io.github.dartrl.leas.attribution;

import io.github.dartrl.leas.stats.Histogram;
import io.github.dartrl.leas.stats.PercentileBootstrap;
import io.github.dartrl.leas.stats.Summary;
import io.github.dartrl.leas.variant.CeaModel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * CEA/LEAS attribution on count tables (paper v2 §4, Proposition 3): per question, smooth each
 * model's EM count into ŝ, take z = logit(ŝ), and solve {@code λ = X⁻¹z} with the fixed design of
 * {@link CeaDesign}; over questions, report the fraction with λ23 &lt; 0 (interference) with a
 * seeded percentile-bootstrap CI, the distribution of every λ, λ23 bins with accuracy, and the
 * fraction λ23 &lt; 0 against its identical-models null ({@link IdenticalModelsNull}).
 *
 * <p>Only questions where some model answered correctly at least once are kept (the paper's
 * filter). This class needs no model: counts come from {@link AttributionRunner} or from a file
 * ({@link CountTable#read}).
 */
public final class InterferenceAttribution {
  private InterferenceAttribution() {}

  /**
   * Attributes every question of {@code table}.
   *
   * @throws IllegalArgumentException if the table is empty, or if no question survives the filter
   *     (there would be nothing to report, and an empty report must not look like a result)
   */
  public static AttributionResult analyze(CountTable table, AttributionConfig config) {
    if (table.size() == 0) {
      throw new IllegalArgumentException("the count table is empty: no questions to attribute");
    }
    List<QuestionCounts> kept = new ArrayList<>();
    for (QuestionCounts q : table.questions()) {
      if (q.anyCorrect()) {
        kept.add(q);
      }
    }
    if (kept.isEmpty()) {
      throw new IllegalArgumentException(
          "all "
              + table.size()
              + " questions were filtered out: no model answered any of them correctly even once,"
              + " so every λ would be an artefact of the smoothing; nothing to attribute");
    }
    int models = CeaModel.values().length;
    double[][] s = new double[kept.size()][models];
    double[][] z = new double[kept.size()][models];
    for (int q = 0; q < kept.size(); q++) {
      for (CeaModel m : CeaModel.values()) {
        int k = kept.get(q).correct(m);
        int n = kept.get(q).samples(m);
        s[q][m.ordinal()] = config.smoothing().estimate(k, n);
        z[q][m.ordinal()] = config.smoothing().logit(k, n);
      }
    }
    double[][] lambda = CeaDesign.solveAll(z);
    for (double[] row : lambda) {
      for (int c = 0; c < row.length; c++) {
        // λ is a signed sum of logits: a sum that is exactly zero in exact arithmetic (e.g. equal
        // counts) may come out as ±1e-16 depending on summation order; call that zero
        if (Math.abs(row[c]) < IdenticalModelsNull.ZERO) {
          row[c] = 0;
        }
      }
    }
    List<QuestionAttribution> per = new ArrayList<>();
    for (int q = 0; q < kept.size(); q++) {
      per.add(new QuestionAttribution(kept.get(q), s[q], z[q], lambda[q]));
    }
    Map<Coefficient, CoefficientStats> coefficients = new EnumMap<>(Coefficient.class);
    for (Coefficient c : Coefficient.values()) {
      coefficients.put(c, stats(c, column(lambda, c.ordinal()), config));
    }
    Map<CeaModel, Double> accuracy = new EnumMap<>(CeaModel.class);
    for (CeaModel m : CeaModel.values()) {
      double sum = 0;
      for (QuestionCounts q : kept) {
        sum += q.accuracy(m);
      }
      accuracy.put(m, sum / kept.size());
    }
    List<AccuracyBin> bins = accuracyBins(per, coefficients.get(Coefficient.L23).histogram());
    IdenticalModelsNull.Result nullResult =
        IdenticalModelsNull.simulate(
            kept,
            config.smoothing(),
            config.nullReplicates(),
            config.confidenceLevel(),
            config.nullSeed(),
            coefficients.get(Coefficient.L23).negativeFraction().estimate());
    return new AttributionResult(
        config, table.size(), kept.size(), per, coefficients, accuracy, bins, nullResult);
  }

  private static CoefficientStats stats(Coefficient c, double[] values, AttributionConfig config) {
    int neg = 0;
    int zero = 0;
    int pos = 0;
    double[] isNegative = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      double v = values[i];
      if (v < 0) {
        neg++;
        isNegative[i] = 1;
      } else if (v == 0) {
        zero++;
      } else {
        pos++;
      }
    }
    // each coefficient gets its own stream, so adding one never shifts another's CI
    PercentileBootstrap.Interval ci =
        PercentileBootstrap.interval(
            isNegative,
            PercentileBootstrap::mean,
            config.bootstrapResamples(),
            config.confidenceLevel(),
            config.seed() * 31 + c.ordinal());
    return new CoefficientStats(
        c,
        neg,
        zero,
        pos,
        ci,
        Summary.of(values),
        Histogram.symmetric(values, config.histogramBins()));
  }

  private static List<AccuracyBin> accuracyBins(List<QuestionAttribution> per, Histogram h) {
    int bins = h.bins();
    double lo = h.edges()[0];
    double hi = h.edges()[bins];
    int[] n = new int[bins];
    double[] uni = new double[bins];
    double[] base = new double[bins];
    for (QuestionAttribution q : per) {
      double v = q.lambda(Coefficient.L23);
      int b = Histogram.binOf(v, lo, hi, bins);
      n[b]++;
      uni[b] += q.counts().accuracy(CeaModel.UNIFIED);
      base[b] += q.counts().accuracy(CeaModel.BASE);
    }
    List<AccuracyBin> out = new ArrayList<>();
    for (int b = 0; b < bins; b++) {
      out.add(
          new AccuracyBin(
              h.edges()[b],
              h.edges()[b + 1],
              n[b],
              n[b] == 0 ? Double.NaN : uni[b] / n[b],
              n[b] == 0 ? Double.NaN : base[b] / n[b]));
    }
    return out;
  }

  private static double[] column(double[][] m, int c) {
    double[] out = new double[m.length];
    for (int i = 0; i < m.length; i++) {
      out[i] = m[i][c];
    }
    return out;
  }
}

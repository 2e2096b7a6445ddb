package io.github.dartrl.leas.attribution;

import io.github.dartrl.grpo.metrics.ProgressReporter;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.leas.stats.SignComparison;
import io.github.dartrl.leas.variant.CeaModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.interval.ClopperPearsonInterval;
import org.apache.commons.math3.stat.interval.ConfidenceInterval;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The power of the λ23 measurement: how large an interaction, on how many questions, with how many
 * samples per variant, the analysis would have read as interference. A measurement that reads
 * "consistent with the null" says little until this is known.
 *
 * <p>The truth is a measured count table's kept questions. Per grid cell (N, δ, share) and
 * simulation s:
 *
 * <ol>
 *   <li>{@code round(share · Q)} of the Q questions, drawn at random, have δ added to Unified's
 *       true logit, the rest not; each question's six true rates come from {@link PlantedTruth}
 *       (with its measured or pooled truth, δ is the question's true λ23);
 *   <li>every variant's count is drawn as {@code Binomial(N, rate)}, independently (as {@link
 *       SamplingStreams#INDEPENDENT} samples);
 *   <li>the drawn table goes through the real analysis, {@link InterferenceAttribution#analyze}:
 *       the keep-filter, the smoothing, the bootstrap CI and the identical-models null, with R and
 *       B from the config;
 *   <li>the measurement is read by the rule every report uses ({@link Lambda23Reading}), and by the
 *       sign test of the non-zero λ23.
 * </ol>
 *
 * The cell's power is the share of simulations read {@link Lambda23Reading#DETECTED}, with an exact
 * Clopper–Pearson interval. Simulation s uses the same seed in every cell (common random numbers
 * across cells), so differences between cells are not blurred by independent noise.
 */
public final class Lambda23Power {
  private static final Logger LOG = LoggerFactory.getLogger(Lambda23Power.class);

  private Lambda23Power() {}

  /**
   * Simulates every cell of {@code config}'s grid on the kept questions of {@code measured}.
   *
   * @throws IllegalArgumentException if no question of {@code measured} was answered correctly by
   *     any variant (there is no truth to plant into)
   */
  public static PowerResult simulate(CountTable measured, PowerConfig config) {
    List<QuestionCounts> truth = new ArrayList<>();
    for (QuestionCounts q : measured.questions()) {
      if (q.anyCorrect()) {
        truth.add(q);
      }
    }
    if (truth.isEmpty()) {
      throw new IllegalArgumentException(
          "no question of the "
              + measured.size()
              + "-question count table was answered correctly by any variant: nothing to plant"
              + " an interaction into");
    }
    // the real reading of the table, set against every cell: how often a planted effect gives a
    // fraction this low or lower
    double measuredFraction =
        InterferenceAttribution.analyze(measured, config.analysis(config.seed()))
            .lambda23()
            .negativeFraction()
            .estimate();
    long[] seeds = new long[config.simulations()];
    SplittableRandom seeder = new SplittableRandom(config.seed());
    for (int s = 0; s < seeds.length; s++) {
      seeds[s] = seeder.nextLong();
    }
    ProgressReporter progress =
        ProgressReporter.builder(config.cells())
            .optLabel("leas power")
            .optUnit("cell")
            .optKeys(List.of("power"))
            .build();
    List<PowerCell> cells = new ArrayList<>();
    for (int n : config.samples()) {
      for (double delta : config.deltas()) {
        for (double share : config.shares()) {
          PowerCell c = cell(truth, config, seeds, n, delta, share, measuredFraction);
          cells.add(c);
          progress.report(new StepMetrics(cells.size(), Map.of("power", c.power())));
          LOG.info(
              "N={} delta={} share={}: detected {}/{} (power {}), sign {}/{}, mean fraction {} vs"
                  + " null {}",
              n,
              delta,
              share,
              c.detected(),
              c.simulations(),
              String.format("%.3f", c.power()),
              c.signDetected(),
              c.simulations(),
              String.format("%.3f", c.meanMeasured()),
              String.format("%.3f", c.meanNullMean()));
        }
      }
    }
    return new PowerResult(config, truth.size(), commonSamples(truth), measuredFraction, cells);
  }

  private static PowerCell cell(
      List<QuestionCounts> truth,
      PowerConfig config,
      long[] seeds,
      int n,
      double delta,
      double share,
      double measuredFraction) {
    int q = truth.size();
    int planted = (int) Math.round(share * q);
    double[][] plain = new double[q][];
    double[][] moved = new double[q][];
    for (int i = 0; i < q; i++) {
      plain[i] = config.truth().rates(truth.get(i), config.smoothing(), 0);
      moved[i] = config.truth().rates(truth.get(i), config.smoothing(), delta);
    }
    int models = CeaModel.values().length;
    int[] samples = new int[models];
    Arrays.fill(samples, n);
    int detected = 0;
    int below = 0;
    int sign = 0;
    int atOrBelow = 0;
    int analysed = 0;
    double kept = 0;
    double measuredSum = 0;
    double nullSum = 0;
    for (long seed : seeds) {
      SplittableRandom rng = new SplittableRandom(seed);
      boolean[] carries = choose(rng, q, planted);
      List<QuestionCounts> drawn = new ArrayList<>(q);
      boolean any = false;
      for (int i = 0; i < q; i++) {
        double[] rate = carries[i] ? moved[i] : plain[i];
        int[] k = new int[models];
        for (int m = 0; m < models; m++) {
          k[m] = IdenticalModelsNull.binomial(rng, n, rate[m]);
          any |= k[m] > 0;
        }
        drawn.add(new QuestionCounts(truth.get(i).id(), "", k, samples));
      }
      if (!any) {
        continue; // nothing kept: the analysis would refuse, so nothing is read
      }
      AttributionResult r =
          InterferenceAttribution.analyze(new CountTable(drawn), config.analysis(seed));
      analysed++;
      Lambda23Reading reading = Lambda23Reading.of(r);
      detected += reading == Lambda23Reading.DETECTED ? 1 : 0;
      below += reading == Lambda23Reading.BELOW_NULL ? 1 : 0;
      SignComparison s = r.lambda23SignTest();
      sign += s.negative() > s.positive() && s.pValue() < Lambda23Reading.ALPHA ? 1 : 0;
      kept += r.keptQuestions();
      double fraction = r.lambda23().negativeFraction().estimate();
      measuredSum += fraction;
      // fractions of different kept counts: compare with a tolerance for the division's rounding
      atOrBelow += fraction <= measuredFraction + 1e-12 ? 1 : 0;
      nullSum += r.lambda23Null().mean();
    }
    int sims = seeds.length;
    double[] ci = clopperPearson(detected, sims, config.confidenceLevel());
    double lower = ci[0];
    double upper = ci[1];
    return new PowerCell(
        n,
        delta,
        share,
        planted,
        sims,
        detected,
        detected / (double) sims,
        lower,
        upper,
        below,
        sign,
        atOrBelow,
        analysed == 0 ? 0 : kept / analysed,
        analysed == 0 ? Double.NaN : measuredSum / analysed,
        analysed == 0 ? Double.NaN : nullSum / analysed);
  }

  /**
   * The exact (Clopper–Pearson) interval of {@code x} successes in {@code n}. Commons Math's
   * F-distribution form needs 0 &lt; x &lt; n; at the ends the exact bounds have closed forms: x =
   * 0 gives [0, 1 − (α/2)^(1/n)], x = n gives [(α/2)^(1/n), 1].
   */
  static double[] clopperPearson(int x, int n, double level) {
    double halfAlpha = (1 - level) / 2;
    if (x == 0) {
      return new double[] {0, 1 - Math.pow(halfAlpha, 1.0 / n)};
    }
    if (x == n) {
      return new double[] {Math.pow(halfAlpha, 1.0 / n), 1};
    }
    ConfidenceInterval ci = new ClopperPearsonInterval().createInterval(n, x, level);
    return new double[] {ci.getLowerBound(), ci.getUpperBound()};
  }

  /** {@code planted} of {@code q} indices, uniformly (a partial Fisher–Yates shuffle). */
  private static boolean[] choose(SplittableRandom rng, int q, int planted) {
    int[] order = new int[q];
    for (int i = 0; i < q; i++) {
      order[i] = i;
    }
    boolean[] out = new boolean[q];
    for (int i = 0; i < planted; i++) {
      int j = i + rng.nextInt(q - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      out[order[i]] = true;
    }
    return out;
  }

  /** The most common per-variant N of the table (the measured design's N). */
  private static int commonSamples(List<QuestionCounts> truth) {
    Map<Integer, Integer> freq = new HashMap<>();
    for (QuestionCounts q : truth) {
      for (int n : q.samples()) {
        freq.merge(n, 1, Integer::sum);
      }
    }
    return freq.entrySet().stream()
        .max(
            Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey()))
        .orElseThrow()
        .getKey();
  }
}

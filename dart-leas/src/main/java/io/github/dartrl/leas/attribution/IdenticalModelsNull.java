package io.github.dartrl.leas.attribution;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.github.dartrl.leas.stats.Summary;
import io.github.dartrl.leas.variant.CeaModel;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The null distribution of the fraction λ23 &lt; 0 when there is no interaction at all: "four
 * identical models". If Base, Reas, Tool and Unified (and the hybrids) were one model, each
 * question's six counts would be binomial draws from one common success rate, and any λ23 ≠ 0 would
 * be sampling noise passed through the smoothing. Because the logit of a smoothed count is not
 * linear, that noise does not give λ23 &lt; 0 on half the questions: equal counts give λ23 = 0
 * exactly, and with small N many questions tie. This class computes what noise alone gives on the
 * questions actually kept.
 *
 * <p>Per replicate r = 1..R and kept question q:
 *
 * <ol>
 *   <li>the common rate is the question's <b>pooled rate over all six variants</b>, {@code p_q =
 *       Σ_m k_qm / Σ_m N_qm} (Base, Reas, Tool, Unified, H_Tool, H_Reas);
 *   <li>each variant's count is drawn as {@code k*_qm ~ Binomial(N_qm, p_q)}, the same N as
 *       measured (as N Bernoulli draws from one seeded {@link SplittableRandom});
 *   <li>the six draws are repeated until some count is positive, because the real analysis keeps
 *       only questions some variant answered at least once: the null is conditional on that same
 *       filter (a kept question has p_q &gt; 0, so this ends);
 *   <li>λ23 = z_Unified − z_Tool − z_Reas + z_Base with the same smoothing as the real analysis,
 *       |λ23| &lt; 1e-12 counted as 0 as there.
 * </ol>
 *
 * The replicate's statistic is the fraction of kept questions with λ23 &lt; 0. Over R replicates:
 * the null mean, its standard deviation, the central {@code level} interval (type-7 quantiles), and
 * the p-value of the measured fraction: the share of replicates at or above it (one-sided: more
 * interference than noise; its resolution is 1/R).
 */
public final class IdenticalModelsNull {
  /** λ23 closer to 0 than this is 0 (as in {@link InterferenceAttribution}). */
  static final double ZERO = 1e-12;

  private IdenticalModelsNull() {}

  /**
   * The null distribution and the measured fraction set against it. Its JSON form (the keys of
   * {@code lambda23_null} in the reports) leaves out {@code fractions}, which go to a CSV.
   *
   * @param replicates R
   * @param seed the generator's seed
   * @param level level of the central interval, e.g. 0.95
   * @param pooling how the common rate was pooled (for reports)
   * @param mean mean over replicates of the fraction λ23 &lt; 0
   * @param std standard deviation of that fraction over replicates
   * @param standardError Monte-Carlo standard error of {@code mean}, {@code std / √R}
   * @param lower lower end of the central interval
   * @param upper upper end
   * @param meanZero mean fraction with λ23 = 0
   * @param meanPositive mean fraction with λ23 &gt; 0
   * @param measured the measured fraction λ23 &lt; 0
   * @param atOrAbove replicates whose fraction is at or above {@code measured}
   * @param pValue {@code atOrAbove / R}
   * @param fractions every replicate's fraction (in replicate order)
   */
  @JsonPropertyOrder({"pooling"}) // reports name the pooling first
  public record Result(
      int replicates,
      long seed,
      double level,
      String pooling,
      @JsonProperty("null_mean") double mean,
      @JsonProperty("null_std") double std,
      @JsonProperty("null_mean_standard_error") double standardError,
      @JsonProperty("null_lower") double lower,
      @JsonProperty("null_upper") double upper,
      @JsonProperty("null_mean_zero") double meanZero,
      @JsonProperty("null_mean_positive") double meanPositive,
      double measured,
      @JsonProperty("replicates_at_or_above") int atOrAbove,
      @JsonProperty("p_value") double pValue,
      @JsonIgnore double[] fractions) {}

  /** The pooling used, as reports name it. */
  public static final String POOLING = "sum of k over the six variants / sum of N over the six";

  /**
   * Simulates the null on {@code kept} (the questions the real analysis kept).
   *
   * @param measured the measured fraction λ23 &lt; 0 on {@code kept}
   * @throws IllegalArgumentException if {@code kept} is empty or a question has no success
   */
  public static Result simulate(
      List<QuestionCounts> kept,
      Smoothing smoothing,
      int replicates,
      double level,
      long seed,
      double measured) {
    if (kept.isEmpty()) {
      throw new IllegalArgumentException("no kept questions to simulate");
    }
    if (replicates < 1) {
      throw new IllegalArgumentException("replicates must be >= 1, got " + replicates);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("level must be in (0, 1), got " + level);
    }
    int models = CeaModel.values().length;
    int nq = kept.size();
    double[] rate = new double[nq];
    int[][] n = new int[nq][];
    double[][][] logit = new double[nq][models][]; // logit[q][m][k], precomputed
    for (int q = 0; q < nq; q++) {
      QuestionCounts c = kept.get(q);
      if (!c.anyCorrect()) {
        throw new IllegalArgumentException(
            "question " + c.id() + " has no success in any variant: it would have been filtered");
      }
      long k = 0;
      long total = 0;
      n[q] = c.samples();
      for (int m = 0; m < models; m++) {
        k += c.correct()[m];
        total += n[q][m];
        logit[q][m] = new double[n[q][m] + 1];
        for (int x = 0; x <= n[q][m]; x++) {
          logit[q][m][x] = smoothing.logit(x, n[q][m]);
        }
      }
      rate[q] = k / (double) total;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    double[] fractions = new double[replicates];
    double zeroSum = 0;
    double positiveSum = 0;
    int[] draw = new int[models];
    int u = CeaModel.UNIFIED.ordinal();
    int t = CeaModel.TOOL.ordinal();
    int r = CeaModel.REAS.ordinal();
    int b = CeaModel.BASE.ordinal();
    for (int rep = 0; rep < replicates; rep++) {
      int neg = 0;
      int zero = 0;
      for (int q = 0; q < nq; q++) {
        boolean any;
        do {
          any = false;
          for (int m = 0; m < models; m++) {
            draw[m] = binomial(rng, n[q][m], rate[q]);
            any |= draw[m] > 0;
          }
        } while (!any);
        double[][] z = logit[q];
        double l23 = z[u][draw[u]] - z[t][draw[t]] - z[r][draw[r]] + z[b][draw[b]];
        if (Math.abs(l23) < ZERO) {
          zero++;
        } else if (l23 < 0) {
          neg++;
        }
      }
      fractions[rep] = neg / (double) nq;
      zeroSum += zero / (double) nq;
      positiveSum += (nq - neg - zero) / (double) nq;
    }
    Summary s = Summary.of(fractions);
    double[] sorted = fractions.clone();
    Arrays.sort(sorted);
    int atOrAbove = 0;
    for (double f : fractions) {
      // fractions are ratios of integers over the same nq: compare counts, not floating values
      if (Math.round(f * nq) >= Math.round(measured * nq)) {
        atOrAbove++;
      }
    }
    return new Result(
        replicates,
        seed,
        level,
        POOLING,
        s.mean(),
        s.std(),
        s.std() / Math.sqrt(replicates),
        Summary.quantileSorted(sorted, (1 - level) / 2),
        Summary.quantileSorted(sorted, (1 + level) / 2),
        zeroSum / replicates,
        positiveSum / replicates,
        measured,
        atOrAbove,
        atOrAbove / (double) replicates,
        fractions);
  }

  /**
   * One Binomial(n, p) draw as n Bernoulli draws (exact; n is at most a few hundred here). Shared
   * with {@link Lambda23Power}, whose simulated measurements draw as the null does.
   */
  static int binomial(SplittableRandom rng, int n, double p) {
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (rng.nextDouble() < p) {
        k++;
      }
    }
    return k;
  }
}

package io.github.dartrl.examples.compare;

import io.github.dartrl.leas.stats.PercentileBootstrap;
import io.github.dartrl.leas.stats.WilcoxonSignedRank;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The statistics of a compare study over per-question outcomes ({@link QuestionOutcome}), pooled
 * over seeds.
 *
 * <p><b>Units.</b> The independent unit is the test question: a question's score for an arm (a
 * method after GRPO, DART's isolated capabilities, or the warm start) is its exact match averaged
 * over the seeds every arm has (0, 1/k, ..., 1). An arm's EM is the mean of these scores; its 95%
 * CI is a percentile bootstrap over questions. Every arm is bootstrapped with the same seed and the
 * same number of questions, so the resampled question sets are the same for all arms (a paired
 * bootstrap). The seed spread (mean ± std of the per-seed EMs) is reported beside it: the CI says
 * how much the question sample moves the number, the spread how much the warm start and sampling
 * seeds do.
 *
 * <p><b>Paired test.</b> For arms A and B, the per-question differences of scores: their mean with
 * a bootstrap CI, the share of questions where A scores higher, and the Wilcoxon signed-rank
 * p-value (normal approximation, ties dropped; {@link PairedComparison}).
 */
public final class StudyStats {

  /** The data_source name of the whole test split. */
  public static final String ALL = "all";

  /**
   * One arm's EM on one data_source.
   *
   * @param arm e.g. {@code DART}, {@code DART reasoning_only}, {@code WARM_START}
   * @param source a data_source or {@link #ALL}
   * @param questions questions pooled
   * @param pooled EM over questions and seeds with its bootstrap CI
   * @param seeds the per-seed EM's mean, std and range
   */
  public record ArmEm(
      String arm,
      String source,
      int questions,
      PercentileBootstrap.Interval pooled,
      SeedSpread seeds) {}

  /**
   * A paired comparison of two arms on one data_source.
   *
   * @param a the first arm
   * @param b the second arm
   * @param source a data_source or {@link #ALL}
   * @param difference mean of (A − B) per question, with its bootstrap CI
   * @param fractionGreater share of questions where A scores higher
   * @param fractionLess share where B scores higher
   * @param test the Wilcoxon signed-rank test of A against B
   */
  public record Paired(
      String a,
      String b,
      String source,
      PercentileBootstrap.Interval difference,
      double fractionGreater,
      double fractionLess,
      WilcoxonSignedRank.Result test) {}

  /**
   * The study's numbers.
   *
   * @param seeds the seeds every arm has, which are pooled
   * @param arms the arms in report order
   * @param em every arm's EM per data_source (and {@link #ALL})
   * @param paired DART against every other arm after GRPO, per data_source
   * @param droppedQuestions questions left out because some arm or seed lacks them
   */
  public record Result(
      List<Long> seeds,
      List<String> arms,
      List<ArmEm> em,
      List<Paired> paired,
      int droppedQuestions) {}

  private StudyStats() {}

  /** The arm name of an outcome: the method, with the variant when it is an isolated one. */
  static String arm(QuestionOutcome o) {
    return o.variant().equals(QuestionOutcome.AFTER) || o.variant().equals(QuestionOutcome.BEFORE)
        ? o.method()
        : o.method() + " " + o.variant();
  }

  /**
   * Analyses {@code outcomes} (duplicates of one seed, arm and question, e.g. the warm start
   * evaluated by several runs, count once: the first).
   *
   * @param reference the arm compared against every other trained arm (DART)
   * @throws IllegalArgumentException when no seed is shared by every arm
   */
  public static Result analyse(
      List<QuestionOutcome> outcomes, String reference, int resamples, long bootstrapSeed) {
    // arm -> seed -> id -> correct
    Map<String, Map<Long, Map<String, Boolean>>> table = new LinkedHashMap<>();
    Map<String, String> sourceOf = new LinkedHashMap<>();
    for (QuestionOutcome o : outcomes) {
      table
          .computeIfAbsent(arm(o), k -> new LinkedHashMap<>())
          .computeIfAbsent(o.seed(), k -> new LinkedHashMap<>())
          .putIfAbsent(o.id(), o.correct());
      sourceOf.putIfAbsent(o.id(), o.dataSource());
    }
    if (table.isEmpty()) {
      throw new IllegalArgumentException("no question outcomes to analyse");
    }
    Set<Long> seeds = null;
    for (Map<Long, Map<String, Boolean>> bySeed : table.values()) {
      if (seeds == null) {
        seeds = new TreeSet<>(bySeed.keySet());
      } else {
        seeds.retainAll(bySeed.keySet());
      }
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException(
          "no seed is shared by every arm; arms and seeds: " + seedsOf(table));
    }
    Set<String> ids = new LinkedHashSet<>(sourceOf.keySet());
    for (Map<Long, Map<String, Boolean>> bySeed : table.values()) {
      for (long s : seeds) {
        ids.retainAll(bySeed.get(s).keySet());
      }
    }
    int dropped = sourceOf.size() - ids.size();
    List<String> arms = new ArrayList<>(table.keySet());
    List<String> sources = new ArrayList<>(new LinkedHashSet<>(sourceOf.values()));
    sources.removeIf(s -> ids.stream().noneMatch(id -> sourceOf.get(id).equals(s)));
    sources.add(ALL);
    List<ArmEm> em = new ArrayList<>();
    List<Paired> paired = new ArrayList<>();
    for (String source : sources) {
      List<String> qs =
          ids.stream().filter(id -> source.equals(ALL) || sourceOf.get(id).equals(source)).toList();
      Map<String, double[]> scores = new LinkedHashMap<>();
      for (String arm : arms) {
        double[] score = new double[qs.size()];
        double[] perSeed = new double[seeds.size()];
        int k = 0;
        for (long s : seeds) {
          Map<String, Boolean> r = table.get(arm).get(s);
          double hits = 0;
          for (int i = 0; i < qs.size(); i++) {
            double hit = r.get(qs.get(i)) ? 1 : 0;
            score[i] += hit / seeds.size();
            hits += hit;
          }
          perSeed[k++] = hits / qs.size();
        }
        scores.put(arm, score);
        em.add(
            new ArmEm(
                arm,
                source,
                qs.size(),
                PercentileBootstrap.interval(
                    score, PercentileBootstrap::mean, resamples, 0.95, bootstrapSeed),
                SeedSpread.of(perSeed)));
      }
      double[] ref = scores.get(reference);
      if (ref == null) {
        continue;
      }
      for (String arm : arms) {
        if (arm.equals(reference) || arm.contains(" ")) {
          continue; // isolated capabilities are DART's own views, not rivals
        }
        double[] other = scores.get(arm);
        double[] d = new double[ref.length];
        int greater = 0;
        int less = 0;
        for (int i = 0; i < d.length; i++) {
          d[i] = ref[i] - other[i];
          greater += d[i] > 0 ? 1 : 0;
          less += d[i] < 0 ? 1 : 0;
        }
        paired.add(
            new Paired(
                reference,
                arm,
                source,
                PercentileBootstrap.interval(
                    d, PercentileBootstrap::mean, resamples, 0.95, bootstrapSeed),
                greater / (double) d.length,
                less / (double) d.length,
                WilcoxonSignedRank.test(ref, other)));
      }
    }
    return new Result(List.copyOf(seeds), arms, em, paired, dropped);
  }

  private static Map<String, Set<Long>> seedsOf(Map<String, Map<Long, Map<String, Boolean>>> t) {
    Map<String, Set<Long>> out = new LinkedHashMap<>();
    t.forEach((arm, bySeed) -> out.put(arm, new TreeSet<>(bySeed.keySet())));
    return out;
  }
}

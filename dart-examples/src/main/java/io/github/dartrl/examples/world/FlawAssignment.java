package io.github.dartrl.examples.world;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Which demonstration gets which flaw ({@link DemonstrationConfig}). */
final class FlawAssignment {
  private FlawAssignment() {}

  /**
   * Assigns flaws as habits. Per kind and flaw, exactly {@code round(rate * n)} questions get it;
   * they are drawn from a seeded subset of the kind's templates (preferring templates no other flaw
   * took) just large enough that the flaw covers at most {@code habitRate} of their questions. So a
   * flaw is a habit of certain question types, which SFT copies faithfully, rather than noise
   * spread evenly over all questions, which a greedy decoder would simply ignore.
   */
  static DemonstrationFlaw[] assign(List<WorldQuestion> questions, DemonstrationConfig config) {
    return assign(questions, config, q -> false);
  }

  /**
   * As {@link #assign(List, DemonstrationConfig)}, with {@link DemonstrationFlaw#ALIAS_ANSWER}
   * given to {@code round(aliasAnswerRate * m)} of the {@code m} one-hop and two-hop questions that
   * {@code aliasEligible} accepts (those whose answer the alias index renames), first of all flaws
   * so the other rates keep their shares of the remaining questions as far as they can.
   */
  static DemonstrationFlaw[] assign(
      List<WorldQuestion> questions,
      DemonstrationConfig config,
      Predicate<WorldQuestion> aliasEligible) {
    DemonstrationFlaw[] flaws = new DemonstrationFlaw[questions.size()];
    Arrays.fill(flaws, DemonstrationFlaw.NONE);
    for (QuestionKind kind :
        List.of(QuestionKind.ONE_HOP, QuestionKind.TWO_HOP, QuestionKind.SEARCH_SQL)) {
      Set<String> taken = new HashSet<>();
      if (kind != QuestionKind.SEARCH_SQL && config.aliasAnswerRate() > 0) {
        Predicate<WorldQuestion> eligible = q -> q.kind() == kind && aliasEligible.test(q);
        habit(
            questions,
            eligible,
            DemonstrationFlaw.ALIAS_ANSWER,
            config.aliasAnswerRate(),
            config,
            taken,
            flaws);
      }
      Map<DemonstrationFlaw, Double> rates = new EnumMap<>(DemonstrationFlaw.class);
      rates.put(DemonstrationFlaw.NO_SEARCH, config.noSearchRate());
      rates.put(DemonstrationFlaw.WRONG_ENTITY, config.wrongEntityRate());
      if (kind == QuestionKind.TWO_HOP) {
        rates.put(DemonstrationFlaw.SKIPPED_HOP, config.skipSecondHopRate());
      }
      if (kind == QuestionKind.SEARCH_SQL) {
        rates.put(DemonstrationFlaw.SKIPPED_SQL, config.skipSecondHopRate());
        rates.put(DemonstrationFlaw.WRONG_COLUMN, config.wrongColumnRate());
      }
      for (Map.Entry<DemonstrationFlaw, Double> e : rates.entrySet()) {
        habit(questions, q -> q.kind() == kind, e.getKey(), e.getValue(), config, taken, flaws);
      }
    }
    return flaws;
  }

  /**
   * Gives {@code flaw} to {@code round(rate * n)} of the {@code n} questions {@code among} accepts,
   * drawn from a seeded subset of their templates (untaken ones first) just large enough that the
   * flaw covers at most {@code habitRate} of their questions still without a flaw.
   */
  private static void habit(
      List<WorldQuestion> questions,
      Predicate<WorldQuestion> among,
      DemonstrationFlaw flaw,
      double rate,
      DemonstrationConfig config,
      Set<String> taken,
      DemonstrationFlaw[] flaws) {
    List<WorldQuestion> eligible = questions.stream().filter(among).toList();
    int count = (int) Math.round(rate * eligible.size());
    if (count == 0) {
      return;
    }
    List<String> order =
        new ArrayList<>(new TreeSet<>(eligible.stream().map(WorldQuestion::template).toList()));
    QuestionKind kind = eligible.get(0).kind();
    Collections.shuffle(order, new Random(config.seed() * 31 + kind.ordinal()));
    order.sort(Comparator.comparing(taken::contains)); // stable: untaken first
    List<Integer> pool = new ArrayList<>();
    for (String t : order) {
      if (pool.size() >= count / config.habitRate()) {
        break;
      }
      taken.add(t);
      for (int i = 0; i < questions.size(); i++) {
        WorldQuestion q = questions.get(i);
        if (among.test(q) && q.template().equals(t) && flaws[i] == DemonstrationFlaw.NONE) {
          pool.add(i);
        }
      }
    }
    Collections.shuffle(pool, new Random(config.seed() * 131 + flaw.ordinal()));
    for (int k = 0; k < Math.min(count, pool.size()); k++) {
      flaws[pool.get(k)] = flaw;
    }
  }

  /**
   * A guess: the answer of another question of the same template in {@code pool} (the right type,
   * almost always wrong).
   */
  static String guess(WorldQuestion q, List<String> pool, SplittableRandom rng) {
    if (pool.size() <= 1) {
      return q.goldenAnswers().get(0);
    }
    // Another question's answer: skip one occurrence of this question's own.
    int own = pool.indexOf(q.goldenAnswers().get(0));
    int k = rng.nextInt(pool.size() - 1);
    return pool.get(k >= own ? k + 1 : k);
  }

  /** One word of a multi-word name (a one-word name is kept). */
  static String partial(String name, SplittableRandom rng) {
    String[] words = name.split(" ");
    return words.length < 2 ? name : words[rng.nextInt(words.length)];
  }
}

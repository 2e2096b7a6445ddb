package io.github.dartrl.grpo.reward;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Answer-vs-gold comparisons over several gold answers, all on {@link AnswerNormalizer} forms:
 * exact match, substring match and SQuAD token F1. Shared by the reward functions and evaluation.
 */
public final class AnswerMetrics {

  private AnswerMetrics() {}

  /**
   * Search-R1's {@code em_check}: whether the normalised prediction equals some normalised gold.
   *
   * @param prediction the extracted answer, not null
   * @param golds the gold answers
   */
  public static boolean exactMatch(String prediction, List<String> golds) {
    String p = AnswerNormalizer.normalize(prediction);
    for (String gold : golds) {
      if (AnswerNormalizer.normalize(gold).equals(p)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Search-R1's {@code subem_check}: whether some normalised gold occurs inside the normalised
   * prediction.
   *
   * <p>One deliberate difference from the Python: a gold answer that normalises to the empty string
   * (for example {@code "The"} or {@code "?"}) is skipped, because the empty string occurs in every
   * prediction and would pay any answer at all, a reward the policy would learn to exploit.
   */
  public static boolean substringMatch(String prediction, List<String> golds) {
    return containsAnyGold(AnswerNormalizer.normalize(prediction), golds);
  }

  /**
   * Whether some gold answer, normalised, occurs in the normalised text (with the same empty-gold
   * rule as {@link #substringMatch}); Search-R1's retrieval check applies this to each {@code
   * <information>} block.
   */
  public static boolean containsAnyGold(String normalizedText, List<String> golds) {
    Objects.requireNonNull(normalizedText, "normalizedText");
    for (String gold : golds) {
      String g = AnswerNormalizer.normalize(gold);
      if (!g.isEmpty() && normalizedText.contains(g)) {
        return true;
      }
    }
    return false;
  }

  /**
   * SQuAD v1.1 token F1 of a prediction against one gold answer.
   *
   * <p>Both are normalised and split on spaces; the overlap is the size of the multiset
   * intersection of the tokens; precision = overlap / prediction tokens, recall = overlap / gold
   * tokens, F1 = 2PR / (P + R), and 0 when there is no overlap (so also when either side is empty,
   * as in the SQuAD v1.1 script; the v2.0 script would give 1 for two empty sides). HotpotQA's
   * special rule for {@code yes}/{@code no} answers is not applied.
   */
  public static double f1(String prediction, String gold) {
    List<String> p = tokens(prediction);
    List<String> g = tokens(gold);
    Map<String, Integer> goldCounts = new HashMap<>();
    for (String t : g) {
      goldCounts.merge(t, 1, Integer::sum);
    }
    int overlap = 0;
    for (String t : p) {
      Integer left = goldCounts.get(t);
      if (left != null && left > 0) {
        goldCounts.put(t, left - 1);
        overlap++;
      }
    }
    if (overlap == 0) {
      return 0.0;
    }
    double precision = (double) overlap / p.size();
    double recall = (double) overlap / g.size();
    return 2 * precision * recall / (precision + recall);
  }

  /** The best {@link #f1} over the gold answers (0 for an empty list). */
  public static double maxF1(String prediction, List<String> golds) {
    double best = 0.0;
    for (String gold : golds) {
      best = Math.max(best, f1(prediction, gold));
    }
    return best;
  }

  private static List<String> tokens(String text) {
    String normalized = AnswerNormalizer.normalize(text);
    // The normal form has single spaces and no leading or trailing space.
    return normalized.isEmpty() ? List.of() : Arrays.asList(normalized.split(" "));
  }
}

package io.github.dartrl.examples.world;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The realised imperfection mix of a set of scripted demonstrations: how many of each question kind
 * got each flaw, and how many end with a golden answer.
 *
 * @param counts demonstrations per kind and flaw
 * @param correct demonstrations per kind and flaw whose answer is a golden answer
 * @param byTemplate demonstrations per template and flaw (templates in name order)
 */
public record DemonstrationMix(
    Map<QuestionKind, Map<DemonstrationFlaw, Integer>> counts,
    Map<QuestionKind, Map<DemonstrationFlaw, Integer>> correct,
    Map<String, Map<DemonstrationFlaw, Integer>> byTemplate) {

  /** Counts the demonstrations. */
  public static DemonstrationMix of(List<ScriptedDemonstration> demos) {
    Map<QuestionKind, Map<DemonstrationFlaw, Integer>> counts = empty();
    Map<QuestionKind, Map<DemonstrationFlaw, Integer>> correct = empty();
    Map<String, Map<DemonstrationFlaw, Integer>> byTemplate = new TreeMap<>();
    for (ScriptedDemonstration d : demos) {
      counts.get(d.question().kind()).merge(d.flaw(), 1, Integer::sum);
      byTemplate
          .computeIfAbsent(d.question().template(), k -> new EnumMap<>(DemonstrationFlaw.class))
          .merge(d.flaw(), 1, Integer::sum);
      if (d.correct()) {
        correct.get(d.question().kind()).merge(d.flaw(), 1, Integer::sum);
      }
    }
    return new DemonstrationMix(counts, correct, byTemplate);
  }

  private static Map<QuestionKind, Map<DemonstrationFlaw, Integer>> empty() {
    Map<QuestionKind, Map<DemonstrationFlaw, Integer>> m = new EnumMap<>(QuestionKind.class);
    for (QuestionKind k : QuestionKind.values()) {
      Map<DemonstrationFlaw, Integer> inner = new EnumMap<>(DemonstrationFlaw.class);
      for (DemonstrationFlaw f : DemonstrationFlaw.values()) {
        inner.put(f, 0);
      }
      m.put(k, inner);
    }
    return m;
  }

  /** Demonstrations of {@code kind} with {@code flaw}. */
  public int count(QuestionKind kind, DemonstrationFlaw flaw) {
    return counts.get(kind).get(flaw);
  }

  /** All demonstrations of {@code kind}. */
  public int count(QuestionKind kind) {
    return counts.get(kind).values().stream().mapToInt(Integer::intValue).sum();
  }

  /** All demonstrations. */
  public int total() {
    return counts.values().stream()
        .flatMap(m -> m.values().stream())
        .mapToInt(Integer::intValue)
        .sum();
  }

  /** Share of demonstrations whose answer is a golden answer (the EM of imitating them all). */
  public double correctRate() {
    int c =
        correct.values().stream()
            .flatMap(m -> m.values().stream())
            .mapToInt(Integer::intValue)
            .sum();
    return total() == 0 ? 0 : (double) c / total();
  }

  /** Share of demonstrations of {@code kind} whose answer is a golden answer. */
  public double correctRate(QuestionKind kind) {
    int c = correct.get(kind).values().stream().mapToInt(Integer::intValue).sum();
    return count(kind) == 0 ? 0 : (double) c / count(kind);
  }

  /** Share of the demonstrations of {@code template} that have {@code flaw}. */
  public double share(String template, DemonstrationFlaw flaw) {
    Map<DemonstrationFlaw, Integer> m = byTemplate.getOrDefault(template, Map.of());
    int n = m.values().stream().mapToInt(Integer::intValue).sum();
    return n == 0 ? 0 : m.getOrDefault(flaw, 0) / (double) n;
  }

  /** A Markdown table of the templates that have flaws: where the habits are. */
  public String habitsMarkdown() {
    List<DemonstrationFlaw> flaws = shownFlaws();
    StringBuilder sb = new StringBuilder("| template | demos |");
    for (DemonstrationFlaw f : flaws) {
      if (f != DemonstrationFlaw.NONE) {
        sb.append(' ').append(f.name().toLowerCase(Locale.ROOT)).append(" |");
      }
    }
    sb.append("\n|---|---:|").append("---:|".repeat(flaws.size() - 1)).append('\n');
    byTemplate.forEach(
        (t, m) -> {
          int n = m.values().stream().mapToInt(Integer::intValue).sum();
          if (m.getOrDefault(DemonstrationFlaw.NONE, 0) == n) {
            return;
          }
          sb.append("| ").append(t).append(" | ").append(n).append(" |");
          for (DemonstrationFlaw f : flaws) {
            if (f != DemonstrationFlaw.NONE) {
              int c = m.getOrDefault(f, 0);
              sb.append(
                  c == 0 ? " |" : String.format(Locale.ROOT, " %d (%.0f%%) |", c, 100.0 * c / n));
            }
          }
          sb.append('\n');
        });
    return sb.toString();
  }

  /** A Markdown table: one row per kind, one column per flaw ("count (correct)"), demo EM. */
  public String toMarkdown() {
    List<DemonstrationFlaw> flaws = shownFlaws();
    StringBuilder sb = new StringBuilder("| data_source | demos |");
    for (DemonstrationFlaw f : flaws) {
      sb.append(' ').append(f.name().toLowerCase(Locale.ROOT)).append(" (correct) |");
    }
    sb.append(" demo EM |\n|---|---:|");
    sb.append("---:|".repeat(flaws.size())).append("---:|\n");
    for (QuestionKind k : QuestionKind.values()) {
      if (k == QuestionKind.SEARCH_SQL && count(k) == 0) {
        continue; // a search-only mix reads as it did before the SQL part existed
      }
      sb.append("| ").append(k.dataSource()).append(" | ").append(count(k)).append(" |");
      for (DemonstrationFlaw f : flaws) {
        sb.append(' ').append(count(k, f)).append(" (").append(correct.get(k).get(f)).append(") |");
      }
      sb.append(String.format(Locale.ROOT, " %.3f |%n", correctRate(k)));
    }
    sb.append(String.format(Locale.ROOT, "| all | %d |", total()));
    sb.append(" |".repeat(flaws.size()));
    sb.append(String.format(Locale.ROOT, " %.3f |%n", correctRate()));
    return sb.toString();
  }

  /**
   * Every flaw, but the SQL-only ones only when there are search-then-SQL demonstrations and the
   * alias world's only when some demonstration has it.
   */
  private List<DemonstrationFlaw> shownFlaws() {
    boolean sql = count(QuestionKind.SEARCH_SQL) > 0;
    boolean alias =
        counts.values().stream().anyMatch(m -> m.get(DemonstrationFlaw.ALIAS_ANSWER) > 0);
    List<DemonstrationFlaw> out = new ArrayList<>();
    for (DemonstrationFlaw f : DemonstrationFlaw.values()) {
      boolean sqlOnly = f == DemonstrationFlaw.SKIPPED_SQL || f == DemonstrationFlaw.WRONG_COLUMN;
      if ((sql || !sqlOnly) && (alias || f != DemonstrationFlaw.ALIAS_ANSWER)) {
        out.add(f);
      }
    }
    return out;
  }
}

package io.github.dartrl.examples.world;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates each split's questions from the entities that split owns.
 *
 * <ul>
 *   <li><b>onehop</b>: one relation of an owned subject, e.g. "where was kavor miltren born ?";
 *   <li><b>twohop</b>: two relations composed, e.g. "in which country was kavor miltren born ?"
 *       (born_in, then located_in of the birthplace);
 *   <li><b>noretrieval</b>: "what is two plus three ?" (answer "five"), or a one-hop question
 *       preceded by the fact that answers it.
 *   <li><b>searchsql</b> (only with {@link WorldConfig#sql()}): a search, then an SQL query over
 *       the world's tables ({@link SqlQuestions}).
 * </ul>
 *
 * <p>Each question records its {@link WorldQuestion.Hop hops}: the entity to search for and the
 * answer each search should reveal. Within a kind, templates are drawn round-robin, so the kinds'
 * templates are balanced up to the number of subjects each has.
 */
public final class QuestionGenerator {

  private static final int STAGE = 3;

  /** Two phrasings per template; {s} is the subject's name. */
  private static final Map<String, List<String>> PHRASES = new LinkedHashMap<>();

  static {
    one(Relation.BORN_IN, "where was {s} born ?", "in which city was {s} born ?");
    one(Relation.WORKS_FOR, "which company does {s} work for ?", "who is the employer of {s} ?");
    one(Relation.BIRTH_YEAR, "in what year was {s} born ?", "when was {s} born ?");
    one(Relation.OCCUPATION, "what is the occupation of {s} ?", "what does {s} do for a living ?");
    one(Relation.SPOUSE, "who is {s} married to ?", "who is the spouse of {s} ?");
    one(
        Relation.HEADQUARTERED_IN,
        "where is {s} headquartered ?",
        "in which city is {s} headquartered ?");
    one(Relation.FOUNDED_YEAR, "in what year was {s} founded ?", "when was {s} founded ?");
    one(Relation.LOCATED_IN, "in which country is {s} ?", "which country is {s} in ?");
    one(Relation.ON_RIVER, "on which river is {s} ?", "which river flows past {s} ?");
    two(
        Relation.BORN_IN,
        Relation.LOCATED_IN,
        "in which country was {s} born ?",
        "{s} was born in a city of which country ?");
    two(
        Relation.BORN_IN,
        Relation.ON_RIVER,
        "on which river is the city where {s} was born ?",
        "which river flows past the birthplace of {s} ?");
    two(
        Relation.WORKS_FOR,
        Relation.HEADQUARTERED_IN,
        "where is the company that {s} works for headquartered ?",
        "in which city is the employer of {s} headquartered ?");
    two(
        Relation.WORKS_FOR,
        Relation.FOUNDED_YEAR,
        "in what year was the company that {s} works for founded ?",
        "when was the employer of {s} founded ?");
    two(
        Relation.SPOUSE,
        Relation.BORN_IN,
        "where was the spouse of {s} born ?",
        "in which city was the person married to {s} born ?");
    two(
        Relation.SPOUSE,
        Relation.WORKS_FOR,
        "which company does the spouse of {s} work for ?",
        "who is the employer of the person married to {s} ?");
    two(
        Relation.HEADQUARTERED_IN,
        Relation.LOCATED_IN,
        "in which country is {s} headquartered ?",
        "in which country is the head office of {s} ?");
    two(
        Relation.LOCATED_IN,
        Relation.CAPITAL,
        "what is the capital of the country where {s} is ?",
        "what is the capital of the country in which {s} lies ?");
  }

  private static final String PLUS = "what is {a} plus {b} ?";
  private static final String MINUS = "what is {a} minus {b} ?";

  /** The relations a "stated" no-retrieval question may state and then ask (literal or owned). */
  private static final List<Relation> STATED =
      List.of(
          Relation.BORN_IN,
          Relation.WORKS_FOR,
          Relation.BIRTH_YEAR,
          Relation.OCCUPATION,
          Relation.HEADQUARTERED_IN,
          Relation.FOUNDED_YEAR,
          Relation.LOCATED_IN);

  private QuestionGenerator() {}

  private static void one(Relation r, String... phrases) {
    PHRASES.put(r.key(), List.of(phrases));
  }

  private static void two(Relation first, Relation second, String... phrases) {
    PHRASES.put(first.key() + "." + second.key(), List.of(phrases));
  }

  /**
   * Each split's questions, numbered {@code <split>_0, <split>_1, ...} in a shuffled order;
   * deterministic in the config.
   *
   * @throws IllegalArgumentException when a split has fewer candidate questions of a kind than the
   *     config asks for (add entities or ask for fewer questions)
   */
  public static Map<Split, List<WorldQuestion>> generate(KnowledgeBase kb, WorldConfig config) {
    return generate(kb, config, WorldTables.generate(kb, config));
  }

  /**
   * As {@link #generate(KnowledgeBase, WorldConfig)}, with the tables the search-then-SQL questions
   * read their answers from (used only when {@link WorldConfig#sql()}).
   */
  public static Map<Split, List<WorldQuestion>> generate(
      KnowledgeBase kb, WorldConfig config, WorldTables tables) {
    Random random = Draws.stage(config.seed(), STAGE);
    Map<Split, List<List<Integer>>> arithmetic = partitionArithmetic(config, random);
    Map<Split, List<WorldQuestion>> out = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      int total = config.splitCount(config.questions(), split);
      int oneHop = (int) Math.round(total * config.oneHopFraction());
      int twoHop = (int) Math.round(total * config.twoHopFraction());
      int searchSql = (int) Math.round(total * config.searchSqlFraction());
      Map<QuestionKind, Integer> wanted = new EnumMap<>(QuestionKind.class);
      wanted.put(QuestionKind.ONE_HOP, oneHop);
      wanted.put(QuestionKind.TWO_HOP, twoHop);
      wanted.put(QuestionKind.NO_RETRIEVAL, total - oneHop - twoHop - searchSql);
      wanted.put(QuestionKind.SEARCH_SQL, searchSql);

      Map<String, List<WorldQuestion>> byTemplate = candidates(kb, split, arithmetic, random);
      // Drawn from their own stream, after the others: a search-only world draws exactly what it
      // drew before SQL existed.
      byTemplate.putAll(SqlQuestions.candidates(kb, tables, split, config));
      List<WorldQuestion> chosen = new ArrayList<>(total);
      for (QuestionKind kind : QuestionKind.values()) {
        chosen.addAll(roundRobin(split, kind, byTemplate, wanted.get(kind)));
      }
      Draws.shuffle(chosen, random);
      List<WorldQuestion> numbered = new ArrayList<>(chosen.size());
      for (int i = 0; i < chosen.size(); i++) {
        numbered.add(chosen.get(i).withId(split.key() + "_" + i));
      }
      out.put(split, List.copyOf(numbered));
    }
    return out;
  }

  /** Every candidate question of a split, grouped by template, each group shuffled. */
  private static Map<String, List<WorldQuestion>> candidates(
      KnowledgeBase kb, Split split, Map<Split, List<List<Integer>>> arithmetic, Random random) {
    Map<String, List<WorldQuestion>> byTemplate = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> t : PHRASES.entrySet()) {
      String[] keys = t.getKey().split("\\.");
      Relation first = relation(keys[0]);
      List<WorldQuestion> group = new ArrayList<>();
      for (Entity subject : kb.entities(first.subjectType(), split)) {
        List<WorldQuestion.Hop> hops = new ArrayList<>();
        String query = subject.name();
        for (String key : keys) {
          Relation r = relation(key);
          String answer = kb.object(query, r).orElse(null);
          if (answer == null) {
            break;
          }
          hops.add(new WorldQuestion.Hop(query, r, answer));
          query = answer;
        }
        if (hops.size() == keys.length) {
          String question = Draws.pick(t.getValue(), random).replace("{s}", subject.name());
          String answer = hops.get(hops.size() - 1).answer();
          QuestionKind kind = keys.length == 1 ? QuestionKind.ONE_HOP : QuestionKind.TWO_HOP;
          group.add(new WorldQuestion("", question, answers(kb, answer), kind, t.getKey(), hops));
        }
      }
      Draws.shuffle(group, random);
      byTemplate.put(t.getKey(), group);
    }

    List<WorldQuestion> plus = new ArrayList<>();
    List<WorldQuestion> minus = new ArrayList<>();
    for (List<Integer> p : arithmetic.get(split)) {
      int a = p.get(0);
      int b = p.get(1);
      boolean isPlus = p.get(2) == 0;
      String q = (isPlus ? PLUS : MINUS).replace("{a}", number(a)).replace("{b}", number(b));
      String answer = number(isPlus ? a + b : a - b);
      (isPlus ? plus : minus)
          .add(
              new WorldQuestion(
                  "",
                  q,
                  List.of(answer),
                  QuestionKind.NO_RETRIEVAL,
                  isPlus ? "plus" : "minus",
                  List.of()));
    }
    byTemplate.put("plus", plus);
    byTemplate.put("minus", minus);

    List<WorldQuestion> stated = new ArrayList<>();
    for (Relation r : STATED) {
      for (Entity subject : kb.entities(r.subjectType(), split)) {
        String answer = kb.object(subject.name(), r).orElseThrow();
        String fact = CorpusWriter.sentence(r, 0, subject.name(), answer);
        String question = Draws.pick(PHRASES.get(r.key()), random).replace("{s}", subject.name());
        stated.add(
            new WorldQuestion(
                "",
                fact + " " + question,
                answers(kb, answer),
                QuestionKind.NO_RETRIEVAL,
                "stated." + r.key(),
                List.of()));
      }
    }
    Draws.shuffle(stated, random);
    byTemplate.put("stated", stated);
    return byTemplate;
  }

  /**
   * All {@code a plus b} and {@code a minus b} problems with operands and result in 0..20,
   * partitioned across splits like the entities, so no arithmetic question repeats across splits.
   * Each problem is {@code [a, b, op]} with op 0 = plus, 1 = minus.
   */
  private static Map<Split, List<List<Integer>>> partitionArithmetic(
      WorldConfig config, Random random) {
    List<List<Integer>> problems = new ArrayList<>();
    int max = Lexicon.NUMBERS.size() - 1;
    for (int a = 0; a <= max; a++) {
      for (int b = 0; b <= max; b++) {
        if (a + b <= max) {
          problems.add(List.of(a, b, 0));
        }
        if (b <= a) {
          problems.add(List.of(a, b, 1));
        }
      }
    }
    Draws.shuffle(problems, random);
    Map<Split, List<List<Integer>>> out = new EnumMap<>(Split.class);
    int from = 0;
    for (Split split : Split.values()) {
      int n = config.splitCount(problems.size(), split);
      out.put(split, problems.subList(from, from + n));
      from += n;
    }
    return out;
  }

  /** Takes {@code n} questions of {@code kind}, cycling over its templates. */
  private static List<WorldQuestion> roundRobin(
      Split split, QuestionKind kind, Map<String, List<WorldQuestion>> byTemplate, int n) {
    List<List<WorldQuestion>> groups = new ArrayList<>();
    int available = 0;
    for (List<WorldQuestion> group : byTemplate.values()) {
      if (!group.isEmpty() && group.get(0).kind() == kind) {
        groups.add(group);
        available += group.size();
      }
    }
    if (available < n) {
      throw new IllegalArgumentException(
          "split "
              + split.key()
              + " has "
              + available
              + " candidate "
              + kind.dataSource()
              + " questions but "
              + n
              + " are asked for: add entities or ask for fewer questions");
    }
    List<WorldQuestion> out = new ArrayList<>(n);
    for (int round = 0; out.size() < n; round++) {
      for (List<WorldQuestion> group : groups) {
        if (round < group.size() && out.size() < n) {
          out.add(group.get(round));
        }
      }
    }
    return out;
  }

  /** The canonical answer and its aliases: a river is also found by its first word. */
  private static List<String> answers(KnowledgeBase kb, String answer) {
    boolean river = kb.entity(answer).map(e -> e.type() == EntityType.RIVER).orElse(false);
    return river ? List.of(answer, answer.substring(0, answer.indexOf(' '))) : List.of(answer);
  }

  private static Relation relation(String key) {
    return Relation.valueOf(key.toUpperCase(java.util.Locale.ROOT));
  }

  private static String number(int n) {
    return Lexicon.NUMBERS.get(n);
  }

  /** Every fixed text of the questions, for the vocabulary and the reserved-word set. */
  static List<String> templateTexts() {
    List<String> texts = new ArrayList<>();
    PHRASES.values().forEach(texts::addAll);
    texts.add(PLUS);
    texts.add(MINUS);
    texts.addAll(SqlQuestions.templateTexts());
    return texts.stream().map(t -> t.replaceAll("\\{[a-z]\\}", " ")).toList();
  }
}

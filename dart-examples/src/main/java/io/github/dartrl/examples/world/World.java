package io.github.dartrl.examples.world;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The bundled synthetic tool-QA world: a seeded knowledge base of fictional entities, a corpus of
 * passages about them, and train / dev / test questions over disjoint entities.
 *
 * <pre>{@code
 * World world = World.generate(WorldConfig.defaults());
 * world.writeTo(Path.of("world"));   // corpus.jsonl, train.jsonl, dev.jsonl, test.jsonl, world.json
 * List<String> words = WordLevelTokenizerWriter.vocabularyFrom(
 *     world.vocabularyTexts().stream(), 1, Integer.MAX_VALUE);
 * }</pre>
 *
 * <p>Everything is a pure function of the {@link WorldConfig}: the same config gives byte-identical
 * files. See {@code docs/world.md} for the entities, templates, the split rule and measured sizes.
 */
public final class World {

  /** The corpus file, Search-R1 JSONL {@code {"id", "contents"}}. */
  public static final String CORPUS_FILE = "corpus.jsonl";

  /** The provenance file: config, counts and SHA-256 of every data file. */
  public static final String WORLD_FILE = "world.json";

  /**
   * The SQL script of the world's tables ({@link WorldTables}), written only when {@link
   * WorldConfig#sql()}.
   */
  public static final String TABLES_FILE = "tables.sql";

  /** The value of {@code format} in {@value #WORLD_FILE}; bump it when the output changes. */
  public static final String FORMAT = "dart4j-world/1";

  private final WorldConfig config;
  private final KnowledgeBase knowledgeBase;
  private final List<CorpusPassage> corpus;
  private final Map<Split, List<WorldQuestion>> questions;
  private final WorldTables tables;
  private final WorldAliases aliases;
  private WorldStats stats;

  private World(
      WorldConfig config,
      KnowledgeBase knowledgeBase,
      WorldTables tables,
      WorldAliases aliases,
      List<CorpusPassage> corpus,
      Map<Split, List<WorldQuestion>> questions) {
    this.config = config;
    this.knowledgeBase = knowledgeBase;
    this.tables = tables;
    this.aliases = aliases;
    this.corpus = List.copyOf(corpus);
    this.questions = new EnumMap<>(questions);
  }

  /**
   * Generates the world of {@code config}.
   *
   * @throws IllegalArgumentException when a split has too few entities for the questions asked
   */
  public static World generate(WorldConfig config) {
    Objects.requireNonNull(config, "config");
    KnowledgeBase kb = KnowledgeBase.generate(config);
    WorldTables tables = WorldTables.generate(kb, config);
    WorldAliases aliases = WorldAliases.generate(kb, config);
    List<CorpusPassage> corpus = CorpusWriter.compose(kb, config);
    Map<Split, List<WorldQuestion>> questions = QuestionGenerator.generate(kb, config, tables);
    if (aliases.active()) {
      // the index (corpus) and the searches name people by their aliases; questions, answers and
      // hop answers (the facts' plain objects) keep the plain names
      corpus =
          corpus.stream()
              .map(
                  p -> new CorpusPassage(p.id(), aliases.index(p.title()), aliases.index(p.text())))
              .toList();
      Map<Split, List<WorldQuestion>> indexed = new EnumMap<>(Split.class);
      questions.forEach(
          (split, qs) ->
              indexed.put(split, qs.stream().map(q -> searchedByAlias(q, aliases)).toList()));
      questions = indexed;
    }
    return new World(config, kb, tables, aliases, corpus, questions);
  }

  /** {@code q} with every search hop's query in the index's alias form. */
  private static WorldQuestion searchedByAlias(WorldQuestion q, WorldAliases aliases) {
    List<WorldQuestion.Hop> hops =
        q.hops().stream()
            .map(
                h ->
                    h.relation().tableOnly()
                        ? h
                        : new WorldQuestion.Hop(aliases.index(h.query()), h.relation(), h.answer()))
            .toList();
    return new WorldQuestion(q.id(), q.question(), q.goldenAnswers(), q.kind(), q.template(), hops);
  }

  /** The alias table of the conflict knob ({@link WorldAliases#NONE} when it is off). */
  public WorldAliases aliases() {
    return aliases;
  }

  /** The config this world was generated from. */
  public WorldConfig config() {
    return config;
  }

  /** The entities and facts. */
  public KnowledgeBase knowledgeBase() {
    return knowledgeBase;
  }

  /**
   * The structured tables of the SQL tool. Always derived (cheaply) from the knowledge base, but
   * written, and asked about, only when {@link WorldConfig#sql()}.
   */
  public WorldTables tables() {
    return tables;
  }

  /** All passages; one corpus serves every split. */
  public List<CorpusPassage> corpus() {
    return corpus;
  }

  /** The questions of {@code split}, in file order. */
  public List<WorldQuestion> questions(Split split) {
    return questions.get(split);
  }

  /**
   * Every text a word-level tokenizer for this world must cover: the passages (title line
   * included), the questions, the golden answers, and the fixed prompt texts ({@link PromptTexts}:
   * Search-R1 instruction, observation layout, invalid-action message, demonstration phrases); with
   * the SQL part, also the tables' rows as the SQL tool prints them.
   */
  public List<String> vocabularyTexts() {
    List<String> texts = new ArrayList<>();
    corpus.forEach(p -> texts.add(p.contents()));
    for (Split split : Split.values()) {
      for (WorldQuestion q : questions.get(split)) {
        texts.add(q.question());
        texts.addAll(q.goldenAnswers());
      }
    }
    texts.addAll(PromptTexts.all());
    if (config.sql()) {
      texts.addAll(tables.vocabularyTexts());
    }
    return texts;
  }

  /** Measured sizes. */
  public synchronized WorldStats stats() {
    if (stats == null) {
      stats = computeStats();
    }
    return stats;
  }

  /**
   * Writes {@value #CORPUS_FILE}, {@code train.jsonl}, {@code dev.jsonl}, {@code test.jsonl}, with
   * the SQL part {@value #TABLES_FILE}, and {@value #WORLD_FILE} into {@code dir} (created if
   * needed), each atomically; {@value #WORLD_FILE} last, so its presence means the data files are
   * complete.
   *
   * @throws java.io.UncheckedIOException naming the file that could not be written
   */
  public void writeTo(Path dir) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put(CORPUS_FILE, CorpusWriter.bytes(corpus));
    for (Split split : Split.values()) {
      files.put(split.fileName(), QaJsonlWriter.bytes(questions.get(split)));
    }
    if (config.sql()) {
      files.put(TABLES_FILE, tables.bytes());
    }
    files.forEach((name, bytes) -> JsonFiles.writeAtomically(dir.resolve(name), bytes));
    JsonFiles.writeAtomically(dir.resolve(WORLD_FILE), worldJson(files));
  }

  private byte[] worldJson(Map<String, byte[]> files) {
    WorldStats s = stats();
    ObjectNode root = JsonFiles.MAPPER.createObjectNode();
    root.put("format", FORMAT);
    root.set("config", JsonFiles.MAPPER.valueToTree(config));
    ObjectNode counts = root.putObject("counts");
    ObjectNode entities = counts.putObject("entities");
    for (EntityType t : EntityType.values()) {
      entities.put(t.name().toLowerCase(java.util.Locale.ROOT), s.entities().get(t));
    }
    counts.put("facts", s.facts());
    counts.put("passages", s.passages());
    ObjectNode qs = counts.putObject("questions");
    for (Split split : Split.values()) {
      ObjectNode perSplit = qs.putObject(split.key());
      for (QuestionKind kind : QuestionKind.values()) {
        if (kind != QuestionKind.SEARCH_SQL || config.sql()) {
          perSplit.put(kind.dataSource(), s.questions().get(split).get(kind));
        }
      }
      perSplit.put("total", s.questions(split));
    }
    counts.put("vocabulary", s.vocabularySize());
    counts.put("passage_tokens_mean", Math.round(s.meanPassageTokens() * 100) / 100.0);
    counts.put("passage_tokens_max", s.maxPassageTokens());
    counts.put("question_tokens_max", s.maxQuestionTokens());
    ObjectNode prior = root.putObject("answer_prior_em");
    for (Split split : Split.values()) {
      prior.put(split.key(), Math.round(s.answerPriorEm().get(split) * 10000) / 10000.0);
    }
    root.put(
        "shared_by_splits",
        "countries, their capitals and rivers (background); the corpus; number words");
    ObjectNode hashes = root.putObject("sha256");
    MessageDigest all = sha256();
    files.forEach(
        (name, bytes) -> {
          String hex = HexFormat.of().formatHex(sha256().digest(bytes));
          hashes.put(name, hex);
          all.update((name + " " + hex + "\n").getBytes(StandardCharsets.UTF_8));
        });
    root.put("world_sha256", HexFormat.of().formatHex(all.digest()));
    try {
      return (JsonFiles.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
          .getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + WORLD_FILE, e);
    }
  }

  private WorldStats computeStats() {
    Set<String> vocabulary = new HashSet<>();
    vocabularyTexts().forEach(t -> vocabulary.addAll(WordLevelTokenizerWriter.pieces(t, true)));
    long passageTokens = 0;
    int maxPassage = 0;
    for (CorpusPassage p : corpus) {
      int n = WordLevelTokenizerWriter.pieces(p.contents(), true).size();
      passageTokens += n;
      maxPassage = Math.max(maxPassage, n);
    }
    int maxQuestion = 0;
    Map<Split, Map<QuestionKind, Integer>> perSplit = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      Map<QuestionKind, Integer> kinds = new EnumMap<>(QuestionKind.class);
      for (QuestionKind kind : QuestionKind.values()) {
        kinds.put(kind, 0);
      }
      for (WorldQuestion q : questions.get(split)) {
        kinds.merge(q.kind(), 1, Integer::sum);
        maxQuestion =
            Math.max(maxQuestion, WordLevelTokenizerWriter.pieces(q.question(), true).size());
      }
      perSplit.put(split, kinds);
    }
    return new WorldStats(
        knowledgeBase.counts(),
        knowledgeBase.facts().size(),
        corpus.size(),
        perSplit,
        vocabulary.size(),
        corpus.isEmpty() ? 0 : (double) passageTokens / corpus.size(),
        maxPassage,
        maxQuestion,
        answerPriorEm());
  }

  /** Per split, EM of answering with the most frequent train answer of the question's template. */
  private Map<Split, Double> answerPriorEm() {
    Map<String, Map<String, Integer>> counts = new HashMap<>();
    for (WorldQuestion q : questions.get(Split.TRAIN)) {
      counts
          .computeIfAbsent(q.template(), k -> new HashMap<>())
          .merge(q.goldenAnswers().get(0), 1, Integer::sum);
    }
    Map<String, String> mostFrequent = new HashMap<>();
    counts.forEach(
        (template, answers) -> {
          String best = null;
          for (Map.Entry<String, Integer> e : answers.entrySet()) {
            // Most frequent; ties go to the smaller string, so the result is deterministic.
            if (best == null
                || e.getValue() > answers.get(best)
                || (e.getValue().equals(answers.get(best)) && e.getKey().compareTo(best) < 0)) {
              best = e.getKey();
            }
          }
          mostFrequent.put(template, best);
        });
    Map<Split, Double> em = new EnumMap<>(Split.class);
    for (Split split : Split.values()) {
      List<WorldQuestion> qs = questions.get(split);
      long hits =
          qs.stream()
              .filter(q -> q.goldenAnswers().contains(mostFrequent.getOrDefault(q.template(), "")))
              .count();
      em.put(split, qs.isEmpty() ? 0 : (double) hits / qs.size());
    }
    return em;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}

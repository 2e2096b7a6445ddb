package io.github.dartrl.examples.world;

import com.google.auto.value.AutoBuilder;

/**
 * Every knob of the synthetic tool-QA world, validated on construction.
 *
 * <p>Entity counts: {@code people}, {@code cities} and {@code companies} are <em>owned</em> by a
 * split (partitioned by the split fractions, see {@link Split}); {@code countries} (each with one
 * capital city) and {@code rivers} are <em>background</em> shared by all splits.
 *
 * @param seed seed of every random choice; same seed and knobs give byte-identical files
 * @param people fictional people, split-owned
 * @param cities non-capital cities, split-owned
 * @param companies companies, split-owned
 * @param countries countries, background; each gets one capital (a background city)
 * @param rivers rivers, background; at least one per country
 * @param passagesPerEntity corpus passages describing each entity, 2 or 3: a person's facts need
 *     two passages (birthplace and spouse are kept apart, so no two-hop question is answered by one
 *     passage), and with three paraphrases per sentence a third passage is the last that reads
 *     differently from the others
 * @param marriedFraction share of people paired with a spouse of the same split
 * @param questions questions over all splits; each split gets its fraction, rounded
 * @param oneHopFraction share of questions of each split that need one retrieval
 * @param twoHopFraction share that need two retrievals and a composition
 * @param noRetrievalFraction share answerable without search
 * @param searchSqlFraction share that need a search and then an SQL query over the world's tables
 *     ({@link QuestionKind#SEARCH_SQL}); 0 (the default) leaves the world search-only, with no
 *     tables written, byte for byte the world before SQL existed
 * @param trainFraction share of owned entities (and questions) in the train split
 * @param devFraction share in the dev split
 * @param testFraction share in the test split
 * @param aliasIndex the conflict knob ({@link WorldAliases}): the corpus names every person by a
 *     registry alias of each name word while questions and answers use the plain name, so search
 *     calls must encode names that reasoning must decode; false (the default) leaves the world byte
 *     for byte the world before the knob existed
 */
public record WorldConfig(
    long seed,
    int people,
    int cities,
    int companies,
    int countries,
    int rivers,
    int passagesPerEntity,
    double marriedFraction,
    int questions,
    double oneHopFraction,
    double twoHopFraction,
    double noRetrievalFraction,
    double searchSqlFraction,
    double trainFraction,
    double devFraction,
    double testFraction,
    boolean aliasIndex) {

  private static final double SUM_TOLERANCE = 1e-9;

  /**
   * Validates counts (positive; every split owns at least one person, city and company) and
   * fractions (in [0, 1], each group summing to 1).
   */
  public WorldConfig {
    positive("people", people);
    positive("cities", cities);
    positive("companies", companies);
    positive("countries", countries);
    positive("questions", questions);
    if (rivers < countries) {
      throw new IllegalArgumentException(
          "need at least one river per country: rivers=" + rivers + ", countries=" + countries);
    }
    if (passagesPerEntity < 2 || passagesPerEntity > 3) {
      throw new IllegalArgumentException(
          "passagesPerEntity must be 2 or 3, got " + passagesPerEntity);
    }
    fraction("marriedFraction", marriedFraction);
    sumsToOne(
        "question mix (oneHop, twoHop, noRetrieval, searchSql)",
        oneHopFraction,
        twoHopFraction,
        noRetrievalFraction,
        searchSqlFraction);
    sumsToOne("split fractions (train, dev, test)", trainFraction, devFraction, testFraction);
    if (trainFraction <= 0 || devFraction <= 0 || testFraction <= 0) {
      throw new IllegalArgumentException(
          "every split needs a positive fraction, got train="
              + trainFraction
              + ", dev="
              + devFraction
              + ", test="
              + testFraction);
    }
    for (int n : new int[] {people, cities, companies}) {
      for (Split split : Split.values()) {
        if (splitCount(n, split, trainFraction, devFraction) < 1) {
          throw new IllegalArgumentException(
              "split "
                  + split.key()
                  + " would own no entity of a type with "
                  + n
                  + " entities; raise people, cities and companies or the split fraction");
        }
      }
    }
  }

  /**
   * The preset for the 2-core CPU budget: about 640 people, 2,100 passages, 2,880 / 288 / 432 train
   * / dev / test questions and a vocabulary of well under 1,000 words (measured figures in {@code
   * docs/world.md}).
   */
  public static WorldConfig defaults() {
    return new WorldConfig(
        20260201L, 640, 200, 160, 16, 24, 2, 0.5, 3600, 0.45, 0.45, 0.10, 0, 0.80, 0.08, 0.12,
        false);
  }

  /**
   * A world small enough for unit tests (milliseconds to generate) that still fills every split.
   */
  public static WorldConfig small() {
    return new WorldConfig(
        7L, 90, 36, 24, 4, 6, 2, 0.5, 300, 0.45, 0.45, 0.10, 0, 0.70, 0.12, 0.18, false);
  }

  /**
   * The conflict world (the positive control of {@code docs/leas.md}): {@link #defaults()} with the
   * alias index on ({@link WorldAliases}), so that search calls and reasoning need the same name
   * words mapped in opposite directions. Same entities, facts, questions and answers as the default
   * world; only the corpus and the searches (hops) name people by their aliases.
   */
  public static WorldConfig conflict() {
    return defaults().withAliasIndex(true);
  }

  /** A copy with the alias index on or off ({@link WorldAliases}). */
  public WorldConfig withAliasIndex(boolean on) {
    return toBuilder().aliasIndex(on).build();
  }

  /** A copy with another seed. */
  public WorldConfig withSeed(long newSeed) {
    return toBuilder().seed(newSeed).build();
  }

  /** A copy with another number of questions. */
  public WorldConfig withQuestions(int newQuestions) {
    return toBuilder().questions(newQuestions).build();
  }

  /**
   * A copy in which {@code fraction} of the questions need a search and then SQL ({@link
   * QuestionKind#SEARCH_SQL}); the other kinds keep their proportions in the rest. The world then
   * also writes its tables ({@link World#TABLES_FILE}).
   */
  public WorldConfig withSearchSql(double fraction) {
    fraction("searchSqlFraction", fraction);
    double rest = (1 - fraction) / (oneHopFraction + twoHopFraction + noRetrievalFraction);
    // rounded, so world.json reads 0.36 rather than 0.36000000000000004
    double one = Math.round(oneHopFraction * rest * 1e9) / 1e9;
    double two = Math.round(twoHopFraction * rest * 1e9) / 1e9;
    return toBuilder()
        .oneHopFraction(one)
        .twoHopFraction(two)
        .noRetrievalFraction(Math.round((1 - fraction - one - two) * 1e9) / 1e9)
        .searchSqlFraction(fraction)
        .build();
  }

  /** Whether the SQL part is on: tables written and {@link QuestionKind#SEARCH_SQL} questions. */
  public boolean sql() {
    return searchSqlFraction > 0;
  }

  /** The fraction of owned entities and questions that goes to {@code split}. */
  public double fraction(Split split) {
    return switch (split) {
      case TRAIN -> trainFraction;
      case DEV -> devFraction;
      case TEST -> testFraction;
    };
  }

  /** The fraction of a split's questions of the given kind. */
  public double fraction(QuestionKind kind) {
    return switch (kind) {
      case ONE_HOP -> oneHopFraction;
      case TWO_HOP -> twoHopFraction;
      case NO_RETRIEVAL -> noRetrievalFraction;
      case SEARCH_SQL -> searchSqlFraction;
    };
  }

  /**
   * How many of {@code total} items go to {@code split}: train and dev are rounded, test takes the
   * rest, so the three always sum to {@code total}.
   */
  public int splitCount(int total, Split split) {
    return splitCount(total, split, trainFraction, devFraction);
  }

  private static int splitCount(int total, Split split, double train, double dev) {
    int nTrain = (int) Math.round(total * train);
    int nDev = (int) Math.round(total * dev);
    return switch (split) {
      case TRAIN -> nTrain;
      case DEV -> nDev;
      case TEST -> total - nTrain - nDev;
    };
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }

  private static void fraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + value);
    }
  }

  private static void sumsToOne(String what, double... parts) {
    double sum = 0;
    for (double p : parts) {
      fraction(what, p);
      sum += p;
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new IllegalArgumentException(what + " must sum to 1, got " + sum);
    }
  }

  /** A builder starting from this config (every component settable). */
  public Builder toBuilder() {
    return new AutoBuilder_WorldConfig_Builder(this);
  }

  /** Builder of a {@link WorldConfig} (generated), from {@link #toBuilder()} of a preset. */
  @AutoBuilder
  public interface Builder {
    /** Sets {@link WorldConfig#seed()}. */
    Builder seed(long v);

    /** Sets {@link WorldConfig#people()}. */
    Builder people(int v);

    /** Sets {@link WorldConfig#cities()}. */
    Builder cities(int v);

    /** Sets {@link WorldConfig#companies()}. */
    Builder companies(int v);

    /** Sets {@link WorldConfig#countries()}. */
    Builder countries(int v);

    /** Sets {@link WorldConfig#rivers()}. */
    Builder rivers(int v);

    /** Sets {@link WorldConfig#passagesPerEntity()}. */
    Builder passagesPerEntity(int v);

    /** Sets {@link WorldConfig#marriedFraction()}. */
    Builder marriedFraction(double v);

    /** Sets {@link WorldConfig#questions()}. */
    Builder questions(int v);

    /** Sets {@link WorldConfig#oneHopFraction()}. */
    Builder oneHopFraction(double v);

    /** Sets {@link WorldConfig#twoHopFraction()}. */
    Builder twoHopFraction(double v);

    /** Sets {@link WorldConfig#noRetrievalFraction()}. */
    Builder noRetrievalFraction(double v);

    /** Sets {@link WorldConfig#searchSqlFraction()}. */
    Builder searchSqlFraction(double v);

    /** Sets {@link WorldConfig#trainFraction()}. */
    Builder trainFraction(double v);

    /** Sets {@link WorldConfig#devFraction()}. */
    Builder devFraction(double v);

    /** Sets {@link WorldConfig#testFraction()}. */
    Builder testFraction(double v);

    /** Sets {@link WorldConfig#aliasIndex()}. */
    Builder aliasIndex(boolean v);

    /** Validates and builds (see the record's constructor). */
    WorldConfig build();
  }
}

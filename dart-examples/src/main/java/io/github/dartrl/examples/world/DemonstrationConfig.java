package io.github.dartrl.examples.world;

/**
 * The imperfection mix of scripted demonstrations. Each rate is the exact share (rounded) of the
 * eligible questions that get that flaw; flaws are exclusive. A flaw is a habit: it is concentrated
 * on a seeded subset of the question templates, where it covers up to {@code habitRate} of the
 * questions (whole templates are taken, so somewhat less in practice); a {@code habitRate} at or
 * below a flaw's rate spreads it over every template.
 *
 * @param noSearchRate share of one-hop, two-hop and search-then-SQL questions answered without
 *     searching (a guess)
 * @param wrongEntityRate share of those questions whose first search names only one word of the
 *     entity
 * @param skipSecondHopRate share of two-hop questions answered after the first search (a guess),
 *     and of search-then-SQL questions answered after the search without querying (a guess)
 * @param wrongColumnRate share of search-then-SQL questions whose query selects the wrong column
 *     ({@code founded} instead of the asked one), answering what it returns
 * @param aliasAnswerRate with an alias index ({@link WorldAliases}): share of the retrieval
 *     questions whose answer names an entity that state what they read in the index's alias form
 *     and answer with the alias (the reasoning that forgot to decode, the mirror of a search that
 *     forgot to encode); a share of those eligible questions, spread over their templates
 * @param habitRate share of the questions of a flaw's templates that get the flaw, in (0, 1]
 * @param seed seeds the assignment of flaws, the partial names and the guesses
 */
public record DemonstrationConfig(
    double noSearchRate,
    double wrongEntityRate,
    double skipSecondHopRate,
    double wrongColumnRate,
    double aliasAnswerRate,
    double habitRate,
    long seed) {

  /** Validates that every rate is in [0, 1] and the rates of each kind sum to at most 1. */
  public DemonstrationConfig {
    rate("noSearchRate", noSearchRate);
    rate("wrongEntityRate", wrongEntityRate);
    rate("skipSecondHopRate", skipSecondHopRate);
    rate("wrongColumnRate", wrongColumnRate);
    rate("aliasAnswerRate", aliasAnswerRate);
    if (!(habitRate > 0 && habitRate <= 1)) {
      throw new IllegalArgumentException("habitRate must be in (0, 1], got " + habitRate);
    }
    if (noSearchRate + wrongEntityRate + skipSecondHopRate + aliasAnswerRate > 1 + 1e-9) {
      throw new IllegalArgumentException(
          "the flaw rates of two-hop questions sum to "
              + (noSearchRate + wrongEntityRate + skipSecondHopRate + aliasAnswerRate)
              + " > 1");
    }
    if (noSearchRate + wrongEntityRate + skipSecondHopRate + wrongColumnRate > 1 + 1e-9) {
      throw new IllegalArgumentException(
          "the flaw rates of search-then-SQL questions sum to "
              + (noSearchRate + wrongEntityRate + skipSecondHopRate + wrongColumnRate)
              + " > 1");
    }
  }

  /**
   * A mix without the alias world's flaw ({@code aliasAnswerRate} 0): the constructor of the worlds
   * without an alias index, kept so existing callers compile unchanged.
   */
  public DemonstrationConfig(
      double noSearchRate,
      double wrongEntityRate,
      double skipSecondHopRate,
      double wrongColumnRate,
      double habitRate,
      long seed) {
    this(noSearchRate, wrongEntityRate, skipSecondHopRate, wrongColumnRate, 0, habitRate, seed);
  }

  /**
   * A mix without the SQL-only flaw ({@code wrongColumnRate} 0): the constructor of the search-only
   * world, kept so existing callers compile unchanged.
   */
  public DemonstrationConfig(
      double noSearchRate,
      double wrongEntityRate,
      double skipSecondHopRate,
      double habitRate,
      long seed) {
    this(noSearchRate, wrongEntityRate, skipSecondHopRate, 0, 0, habitRate, seed);
  }

  private static void rate(String field, double v) {
    if (!(v >= 0 && v <= 1)) {
      throw new IllegalArgumentException(field + " must be in [0, 1], got " + v);
    }
  }

  /**
   * 10% answered without searching, 15% searching a partial name, 25% of two-hop skipping a hop
   * (and of search-then-SQL skipping the query), 10% of search-then-SQL selecting the wrong column,
   * each a habit covering 60% of its templates' questions.
   */
  public static DemonstrationConfig defaults() {
    return new DemonstrationConfig(0.10, 0.15, 0.25, 0.10, 0.6, 17);
  }

  /**
   * The conflict world's mix ({@link WorldConfig#conflict()}): the two mirror flaws of the alias
   * index both frequent — 25% of the retrieval questions search the plain name, which the index
   * does not know (a tool call that forgot to encode), and 25% of those whose answer names an
   * entity answer with the alias they read (reasoning that forgot to decode) — so that training
   * only the tool tokens and training only the reasoning tokens each have a wrong habit to unlearn
   * on the same word pairs, in opposite directions; 20% of two-hop questions answered after the
   * first search, 10% answered without searching and 10% wrong SQL column as in {@link
   * #defaults()}.
   */
  public static DemonstrationConfig conflict() {
    return new DemonstrationConfig(0.10, 0.25, 0.20, 0.10, 0.25, 0.6, 17);
  }

  /** No flaws: every demonstration follows the ideal path. */
  public static DemonstrationConfig perfect() {
    return new DemonstrationConfig(0, 0, 0, 0, 0, 1, 17);
  }

  /** A copy with another seed. */
  public DemonstrationConfig withSeed(long s) {
    return new DemonstrationConfig(
        noSearchRate,
        wrongEntityRate,
        skipSecondHopRate,
        wrongColumnRate,
        aliasAnswerRate,
        habitRate,
        s);
  }

  /** A copy with another habit rate. */
  public DemonstrationConfig withHabitRate(double h) {
    return new DemonstrationConfig(
        noSearchRate,
        wrongEntityRate,
        skipSecondHopRate,
        wrongColumnRate,
        aliasAnswerRate,
        h,
        seed);
  }
}

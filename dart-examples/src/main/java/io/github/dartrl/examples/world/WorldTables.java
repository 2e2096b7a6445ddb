package io.github.dartrl.examples.world;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * The world's structured tables, for the SQL tool: every city and every company of the knowledge
 * base as a row, written as an SQL script ({@link World#TABLES_FILE}) that {@link
 * io.github.dartrl.grpo.tool.sql.SqlExecutor} loads into its embedded database.
 *
 * <pre>
 * cities(name, country, river, population, founded)
 * companies(name, city, employees, founded)
 * </pre>
 *
 * <p>Columns that the knowledge base holds ({@code country} = located_in, {@code river} = on_river,
 * {@code city} = headquartered_in, a company's {@code founded} = founded_year) are copied from it,
 * so the tables agree with the corpus. {@code population}, {@code employees} and a city's {@code
 * founded} are drawn here ({@link Relation#tableOnly()}): no passage states them, so a question
 * about them cannot be answered from the corpus. They are round numbers from small pools (80
 * populations, 98 employee counts, 700 founding years), so, like years, each value is a word a
 * word-level model meets in train rows too.
 *
 * <p>Deterministic in the config (its own random stage): the same config gives the same script.
 */
public final class WorldTables {
  private static final int STAGE = 4;

  /** Populations are {@code 1000 * k}, k in this range. */
  static final int MIN_POPULATION_THOUSANDS = 20;

  static final int MAX_POPULATION_THOUSANDS = 99;

  /** Employee counts are {@code 10 * k}, k in this range. */
  static final int MIN_EMPLOYEES_TENS = 2;

  static final int MAX_EMPLOYEES_TENS = 99;

  /** A city's founding year is drawn from this range (before every company's and person's). */
  static final int FIRST_CITY_FOUNDED = 1200;

  static final int LAST_CITY_FOUNDED = 1899;

  /** The column names, the table names and the header lines of the observations. */
  static final List<String> CITY_COLUMNS =
      List.of("name", "country", "river", "population", "founded");

  static final List<String> COMPANY_COLUMNS = List.of("name", "city", "employees", "founded");

  /**
   * A row of {@code cities}.
   *
   * @param name the city
   * @param country its country (located_in)
   * @param river the river it lies on (on_river)
   * @param population inhabitants (table-only)
   * @param founded year the city was founded (table-only)
   */
  public record City(String name, String country, String river, int population, int founded) {}

  /**
   * A row of {@code companies}.
   *
   * @param name the company
   * @param city its head office (headquartered_in)
   * @param employees its head count (table-only)
   * @param founded year founded (founded_year, as in the corpus)
   */
  public record Company(String name, String city, int employees, int founded) {}

  private final List<City> cities;
  private final List<Company> companies;
  private final Map<String, City> cityByName = new HashMap<>();
  private final Map<String, Company> companyByName = new HashMap<>();

  private WorldTables(List<City> cities, List<Company> companies) {
    this.cities = List.copyOf(cities);
    this.companies = List.copyOf(companies);
    cities.forEach(c -> cityByName.put(c.name(), c));
    companies.forEach(c -> companyByName.put(c.name(), c));
  }

  /** The tables of {@code kb}: one row per city and per company, in knowledge-base order. */
  public static WorldTables generate(KnowledgeBase kb, WorldConfig config) {
    Random random = Draws.stage(config.seed(), STAGE);
    List<City> cities = new ArrayList<>();
    for (Entity e : kb.entities(EntityType.CITY)) {
      cities.add(
          new City(
              e.name(),
              kb.object(e.name(), Relation.LOCATED_IN).orElseThrow(),
              kb.object(e.name(), Relation.ON_RIVER).orElseThrow(),
              1000 * Draws.between(MIN_POPULATION_THOUSANDS, MAX_POPULATION_THOUSANDS, random),
              Draws.between(FIRST_CITY_FOUNDED, LAST_CITY_FOUNDED, random)));
    }
    List<Company> companies = new ArrayList<>();
    for (Entity e : kb.entities(EntityType.COMPANY)) {
      companies.add(
          new Company(
              e.name(),
              kb.object(e.name(), Relation.HEADQUARTERED_IN).orElseThrow(),
              10 * Draws.between(MIN_EMPLOYEES_TENS, MAX_EMPLOYEES_TENS, random),
              Integer.parseInt(kb.object(e.name(), Relation.FOUNDED_YEAR).orElseThrow())));
    }
    return new WorldTables(cities, companies);
  }

  /** Rows of {@code cities}. */
  public List<City> cities() {
    return cities;
  }

  /** Rows of {@code companies}. */
  public List<Company> companies() {
    return companies;
  }

  /**
   * The value of a table-only relation, as text: a city's population or a company's employees.
   *
   * @throws IllegalArgumentException for a relation the tables do not hold
   */
  public Optional<String> value(String subject, Relation relation) {
    return switch (relation) {
      case POPULATION ->
          Optional.ofNullable(cityByName.get(subject)).map(c -> Integer.toString(c.population()));
      case EMPLOYEES ->
          Optional.ofNullable(companyByName.get(subject)).map(c -> Integer.toString(c.employees()));
      default -> throw new IllegalArgumentException(relation.key() + " is not a table column");
    };
  }

  /** The table and the column that hold a table-only relation: {@code cities.population}. */
  public static String table(Relation relation) {
    return switch (relation) {
      case POPULATION -> "cities";
      case EMPLOYEES -> "companies";
      default -> throw new IllegalArgumentException(relation.key() + " is not a table column");
    };
  }

  /**
   * The SQL script that creates and fills both tables: {@code CREATE TABLE} and one {@code INSERT}
   * per row, each statement on its own line ending in {@code ;}.
   */
  public String script() {
    StringBuilder sb = new StringBuilder();
    sb.append("-- dart4j world tables: ")
        .append(cities.size())
        .append(" cities, ")
        .append(companies.size())
        .append(" companies\n");
    sb.append(
        "CREATE TABLE cities (name VARCHAR(64) PRIMARY KEY, country VARCHAR(64) NOT NULL,"
            + " river VARCHAR(64) NOT NULL, population INT NOT NULL, founded INT NOT NULL);\n");
    sb.append(
        "CREATE TABLE companies (name VARCHAR(64) PRIMARY KEY, city VARCHAR(64) NOT NULL,"
            + " employees INT NOT NULL, founded INT NOT NULL);\n");
    for (City c : cities) {
      sb.append("INSERT INTO cities VALUES (")
          .append(literal(c.name()))
          .append(", ")
          .append(literal(c.country()))
          .append(", ")
          .append(literal(c.river()))
          .append(", ")
          .append(c.population())
          .append(", ")
          .append(c.founded())
          .append(");\n");
    }
    for (Company c : companies) {
      sb.append("INSERT INTO companies VALUES (")
          .append(literal(c.name()))
          .append(", ")
          .append(literal(c.city()))
          .append(", ")
          .append(c.employees())
          .append(", ")
          .append(c.founded())
          .append(");\n");
    }
    return sb.toString();
  }

  /** {@link #script()} as UTF-8. */
  byte[] bytes() {
    return script().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Every word the SQL tool's observations of these tables can show: headers and rows as the
   * executor prints them ({@code name | population}), for the tokenizer's vocabulary.
   */
  public List<String> vocabularyTexts() {
    List<String> texts = new ArrayList<>();
    texts.add(String.join(" | ", CITY_COLUMNS));
    texts.add(String.join(" | ", COMPANY_COLUMNS));
    for (City c : cities) {
      texts.add(
          String.join(
              " | ",
              c.name(),
              c.country(),
              c.river(),
              Integer.toString(c.population()),
              Integer.toString(c.founded())));
    }
    for (Company c : companies) {
      texts.add(
          String.join(
              " | ",
              c.name(),
              c.city(),
              Integer.toString(c.employees()),
              Integer.toString(c.founded())));
    }
    return texts;
  }

  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }
}

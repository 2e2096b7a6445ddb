package io.github.dartrl.grpo.tool.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The SQL tool against hostile and ordinary model-written statements. */
class SqlExecutorTest {
  /** Large enough that its cross join with itself is far beyond the row limit. */
  private static final int CITIES = 300;

  private static final SqlLimits LIMITS = new SqlLimits(1_000, 5, 20, 400, 500);

  @TempDir Path dir;
  private SqlExecutor sql;

  static String script() {
    StringBuilder s =
        new StringBuilder(
            "CREATE TABLE cities(name VARCHAR(40) PRIMARY KEY, country VARCHAR(40),"
                + " population INT, founded INT);\n"
                + "CREATE TABLE companies(name VARCHAR(40) PRIMARY KEY, city VARCHAR(40),"
                + " employees INT);\n");
    for (int i = 0; i < CITIES; i++) {
      s.append("INSERT INTO cities VALUES ('city ")
          .append(i)
          .append("', 'land ")
          .append(i % 7)
          .append("', ")
          .append(10_000 + 1_000 * i)
          .append(", ")
          .append(1000 + i)
          .append(");\n");
    }
    s.append("INSERT INTO companies VALUES ('acme labs', 'city 3', 120);\n");
    return s.toString();
  }

  @BeforeEach
  void open() {
    sql = SqlExecutor.fromScript(script(), "test script", LIMITS);
  }

  @AfterEach
  void close() {
    sql.close();
  }

  private String one(String query) {
    List<String> out = sql.execute(List.of(query));
    assertThat(out).hasSize(1);
    String o = out.get(0);
    assertThat(o).startsWith("\n\n<information>").endsWith("</information>\n\n");
    assertThat(o.length()).isLessThanOrEqualTo(LIMITS.maxObservationChars());
    return o.substring("\n\n<information>".length(), o.length() - "</information>\n\n".length());
  }

  /** A digest of everything the database holds, read through the tool itself. */
  private String snapshot() {
    return String.join(
        "\n",
        sql.execute(
            List.of(
                "SELECT COUNT(*), SUM(population), SUM(founded), MIN(name), MAX(name) FROM cities",
                "SELECT COUNT(*), SUM(employees) FROM companies",
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    + " ORDER BY table_name",
                "SELECT COUNT(*) FROM information_schema.users")));
  }

  @Test
  void answersAQueryAsACompactTable() {
    assertThat(one("SELECT name, population FROM cities WHERE name = 'city 3'"))
        .isEqualTo("name | population\ncity 3 | 13000");
    assertThat(one("select population from cities where name = 'nowhere' ;"))
        .isEqualTo("population\nno rows");
  }

  @Test
  void aBatchGetsOneObservationPerCallInOrder() {
    List<String> out =
        sql.execute(
            List.of(
                "SELECT founded FROM cities WHERE name = 'city 1'",
                "DROP TABLE cities",
                "SELECT employees FROM companies"));
    assertThat(out).hasSize(3);
    assertThat(out.get(0)).contains("founded\n1001");
    assertThat(out.get(1)).contains("error : only select statements are allowed");
    assertThat(out.get(2)).contains("employees\n120");
  }

  @Test
  void refusesDdlAndDmlAndLeavesTheDatabaseUnchanged() {
    String before = snapshot();
    for (String hostile :
        List.of(
            "CREATE TABLE x(a INT)",
            "DROP TABLE cities",
            "INSERT INTO cities VALUES ('evil', 'x', 1, 1)",
            "UPDATE cities SET population = 0",
            "DELETE FROM cities",
            "MERGE INTO cities KEY(name) VALUES ('city 1', 'x', 0, 0)",
            "TRUNCATE TABLE companies",
            "ALTER TABLE cities ADD COLUMN x INT",
            "GRANT ALL ON cities TO PUBLIC",
            "CREATE ALIAS boom FOR \"java.lang.System.exit\"",
            "CALL 1",
            "RUNSCRIPT FROM '/etc/passwd'",
            "SCRIPT TO '/tmp/dump.sql'",
            "SHUTDOWN",
            "SET QUERY_TIMEOUT 0",
            "SELECT * FROM cities FOR UPDATE",
            "WITH x AS (SELECT 1) DELETE FROM cities",
            "EXPLAIN ANALYZE SELECT * FROM cities")) {
      assertThat(one(hostile)).as(hostile).startsWith("error : ");
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void refusesASecondStatement() {
    String before = snapshot();
    assertThat(one("SELECT 1; DROP TABLE cities"))
        .isEqualTo("error : only one statement is allowed: remove everything after the ;");
    assertThat(one("SELECT 1;;")).startsWith("error : only one statement");
    assertThat(one("SELECT ';' AS semi")).isEqualTo("semi\n;");
    assertThat(one("SELECT 1 -- ; DROP TABLE cities\n")).isEqualTo("1\n1");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void refusesFileLinkAndUnboundedBuiltInsEvenWhenQuotedOrEscaped() {
    for (String hostile :
        List.of(
            "SELECT FILE_READ('/etc/passwd')",
            "SELECT \"FILE_READ\"('/etc/passwd')",
            "SELECT * FROM CSVREAD('/etc/passwd')",
            "SELECT CSVWRITE('/tmp/x.csv', 'SELECT * FROM cities')",
            "SELECT FILE_WRITE('x', '/tmp/x')",
            "SELECT * FROM LINK_SCHEMA('a', '', 'jdbc:h2:mem:x', 'sa', '', 'public')",
            "SELECT U&\"FILE\\005fREAD\"('/etc/passwd')",
            "SELECT $$x$$",
            "SELECT REPEAT('x', 1000000000)",
            "SELECT REGEXP_LIKE('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!', '(a+)+$')",
            "SELECT * FROM SYSTEM_RANGE(1, 100000000000)")) {
      String o = one(hostile);
      assertThat(o).as(hostile).startsWith("error : ").doesNotContain("root:");
    }
  }

  @Test
  void withoutTheGuardTheReadOnlySelectOnlySessionStillRefuses() {
    Path leak = dir.resolve("leak.csv");
    String before = snapshot();
    try (SqlExecutor bare =
        SqlExecutor.fromScript(script(), "test script", LIMITS).withoutGuardForTests()) {
      for (String hostile :
          List.of(
              "DROP TABLE cities",
              "DELETE FROM cities",
              "INSERT INTO cities VALUES ('evil', 'x', 1, 1)",
              "UPDATE cities SET population = 0",
              "CREATE TABLE x(a INT)",
              "CREATE ALIAS boom FOR 'java.lang.System.exit'",
              "SELECT FILE_READ('/etc/passwd')",
              "SELECT * FROM CSVREAD('/etc/passwd')",
              "CALL CSVWRITE('" + leak + "', 'SELECT * FROM cities')",
              "SCRIPT TO '" + leak + "'",
              "CREATE LINKED TABLE l('org.h2.Driver', 'jdbc:h2:mem:y', '', '', 'T')",
              "SELECT * FROM LINK_SCHEMA('a', '', 'jdbc:h2:mem:y', 'sa', '', 'public')",
              "SHUTDOWN")) {
        List<String> out = bare.execute(List.of(hostile));
        // refused by the engine for lack of rights (not, say, by a syntax error)
        assertThat(out.get(0))
            .as(hostile)
            .containsAnyOf("error : not enough rights", "error : admin rights are required")
            .doesNotContain("root:");
      }
      // a session setting changed by one call does not outlive it: the timeout still holds
      assertThat(
              bare.execute(
                      List.of(
                          "SET QUERY_TIMEOUT 0",
                          "SELECT COUNT(*) FROM cities a, cities b, cities c, cities d"))
                  .get(1))
          .contains("error : query timed out");
      assertThat(bare.execute(List.of("SELECT COUNT(*) FROM cities")).get(0))
          .contains("\n" + CITIES + "<");
    }
    assertThat(Files.exists(leak)).isFalse();
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aCrossJoinOfTheLargestTableIsCutByTheRowLimitOrTheTimeout() {
    long start = System.nanoTime();
    String plain = one("SELECT a.name, b.name FROM cities a, cities b");
    assertThat(plain.split("\n")).hasSizeLessThanOrEqualTo(LIMITS.maxRows() + 2);
    assertThat(plain).endsWith("more not shown )");
    // Sorting needs every row first; a triple join cannot finish within the timeout.
    String sorted =
        one(
            "SELECT COUNT(*) FROM cities a CROSS JOIN cities b CROSS JOIN cities c"
                + " CROSS JOIN cities d");
    assertThat(sorted).startsWith("error : query timed out");
    assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(20));
    // The session is still usable after the cancel.
    assertThat(one("SELECT population FROM cities WHERE name = 'city 0'"))
        .isEqualTo("population\n10000");
  }

  @Test
  void syntaxAndNameErrorsComeBackAsShortMessages() {
    assertThat(one("SELECT FROM WHERE")).startsWith("error : syntax error");
    assertThat(one("SELECT populaton FROM cities")).startsWith("error : column \"populaton\"");
    assertThat(one("SELECT * FROM towns")).startsWith("error : table \"towns\" not found");
    assertThat(one("SELECT 'unclosed")).isEqualTo("error : unclosed string literal");
    assertThat(one("")).startsWith("error : empty query");
    assertThat(one("hello there")).startsWith("error : only select statements are allowed");
  }

  @Test
  void aVeryLongQueryIsRefusedBeforeParsing() {
    String longQuery = "SELECT name FROM cities WHERE name = '" + "x".repeat(10_000) + "'";
    assertThat(one(longQuery)).startsWith("error : query too long (10039 characters, at most 500)");
  }

  @Test
  void longValuesAndWideResultsStayWithinTheObservationLimit() {
    String wide = one("SELECT * FROM cities a, cities b ORDER BY a.name, b.name");
    assertThat(wide).contains("more not shown");
    String longValue = one("SELECT CONCAT(name, name, name, name, name, name) AS x FROM cities");
    for (String line : longValue.split("\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(LIMITS.maxCellChars() + 3 + 60);
    }
    assertThat(longValue).contains("...");
  }

  @Test
  void aBatchOfHostileCallsReturnsOneBoundedObservationEach() {
    List<String> calls = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      calls.add(i % 2 == 0 ? "SELECT 1; DROP TABLE cities" : "SELECT * FROM cities a, cities b");
    }
    List<String> out = sql.execute(calls);
    assertThat(out).hasSize(20);
    assertThat(out).allSatisfy(o -> assertThat(o.length()).isLessThanOrEqualTo(400));
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void concurrentBatchesEachGetTheirOwnAnswers() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  for (int round = 0; round < 25; round++) {
                    int city = (thread * 25 + round) % CITIES;
                    List<String> out =
                        sql.execute(
                            List.of(
                                "SELECT population FROM cities WHERE name = 'city " + city + "'",
                                "DROP TABLE cities"));
                    if (!out.get(0).contains("population\n" + (10_000 + 1_000 * city) + "<")
                        || !out.get(1).contains("error : ")) {
                      return false;
                    }
                  }
                  return true;
                }));
      }
      for (Future<Boolean> r : results) {
        assertThat(r.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClosedExecutorAndABadScriptFailLoudly() {
    assertThatThrownBy(() -> SqlExecutor.fromScript("CREATE TABLE (", "bad.sql", LIMITS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.sql");
    sql.close();
    assertThatThrownBy(() -> sql.execute(List.of("SELECT 1")))
        .isInstanceOf(IllegalStateException.class);
  }
}

package io.github.dartrl.grpo.tool.sql;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.dartrl.core.io.FuzzFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes {@link SqlExecutor} with arbitrary call texts, as a model could write them.
 *
 * <p>Contract: {@code execute} never throws; it returns exactly one observation, wrapped in the
 * information tags and within {@link SqlLimits#maxObservationChars()}; and the database is never
 * changed (checked after every call). Anything else is a finding.
 */
class SqlExecutorFuzzTest {
  private static final AtomicLong RUNS = new AtomicLong();
  private static final SqlLimits LIMITS = new SqlLimits(200, 5, 20, 300, 400);
  private static final String CHECK = "SELECT COUNT(*), SUM(population) FROM cities";
  private static SqlExecutor sql;
  private static String expected;

  private static synchronized SqlExecutor executor() {
    if (sql == null) {
      StringBuilder script =
          new StringBuilder("CREATE TABLE cities(name VARCHAR(40) PRIMARY KEY, population INT);\n");
      for (int i = 0; i < 20; i++) {
        script.append("INSERT INTO cities VALUES ('city ").append(i).append("', ");
        script.append(1000 * i).append(");\n");
      }
      sql = SqlExecutor.fromScript(script.toString(), "fuzz script", LIMITS);
      expected = sql.execute(List.of(CHECK)).get(0);
    }
    return sql;
  }

  @AfterAll
  static synchronized void report() {
    FuzzFiles.report("sqlCall", RUNS);
    if (sql != null) {
      sql.close();
      sql = null;
    }
  }

  @FuzzTest
  void sqlCall(byte[] data) {
    RUNS.incrementAndGet();
    String call = new String(data, StandardCharsets.UTF_8);
    SqlExecutor tool = executor();
    List<String> out = tool.execute(List.of(call));
    if (out.size() != 1) {
      throw new AssertionError(out.size() + " observations for one call");
    }
    String o = out.get(0);
    if (!o.startsWith(SqlExecutor.OBSERVATION_OPEN)
        || !o.endsWith(SqlExecutor.OBSERVATION_CLOSE)
        || o.length() > LIMITS.maxObservationChars()) {
      throw new AssertionError("observation out of bounds: " + o);
    }
    if (!tool.execute(List.of(CHECK)).get(0).equals(expected)) {
      throw new AssertionError("the database changed after: " + call);
    }
  }
}

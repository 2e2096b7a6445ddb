package io.github.dartrl.grpo.tool.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.h2.api.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL tool's executor: runs model-written {@code SELECT} statements against a private,
 * in-memory H2 database built from a trusted SQL script, and returns one observation text per call.
 *
 * <pre>{@code
 * try (SqlExecutor sql = SqlExecutor.fromScript(Path.of("world/tables.sql"), SqlLimits.defaults())) {
 *   List<String> observations = sql.execute(List.of("SELECT population FROM cities WHERE name = 'x'"));
 * }
 * }</pre>
 *
 * <p>Model-written SQL is untrusted input. Each call passes, in order: {@link SqlGuard} (one {@code
 * SELECT}, no command word, no file, link, sequence or unbounded built-in); then the engine, as a
 * user that holds only {@code SELECT} on the script's tables (H2 refuses file functions, linked
 * tables and {@code CREATE ALIAS} to a non-admin user) on a connection set read-only, under H2's
 * {@code QUERY_TIMEOUT} and a row limit ({@code setMaxRows}); then {@link ResultTable}, which
 * bounds the text. Whatever goes wrong (a refusal, a syntax error, an unknown column, the timeout)
 * comes back as the observation text, as Search-R1 returns its corrective message; {@link #execute}
 * never throws for anything the model wrote.
 *
 * <p>An observation reads like the search tool's: {@code "\n\n<information>" + body +
 * "</information>\n\n"}, at most {@link SqlLimits#maxObservationChars()} characters in all; the
 * body is a table ({@code name | population} then one line per row), {@code no rows}, or {@code
 * error : ...}.
 *
 * <p>Thread-safe: calls of a batch run one after another on one read-only session, and concurrent
 * batches wait for each other (two cores; a statement is short or cut by the timeout). Close it to
 * drop the database.
 */
public final class SqlExecutor implements AutoCloseable {
  /** The tool's name. */
  public static final String NAME = "sql";

  /** The tag that opens a call. */
  public static final String OPEN = "<sql>";

  /** The tag that closes a call. */
  public static final String CLOSE = "</sql>";

  static final String OBSERVATION_OPEN = "\n\n<information>";
  static final String OBSERVATION_CLOSE = "</information>\n\n";
  private static final String READER = "MODEL";
  private static final Logger LOG = LoggerFactory.getLogger(SqlExecutor.class);

  private final SqlLimits limits;
  private final Connection reader;
  private boolean guarded = true;
  private boolean closed;

  private SqlExecutor(Connection reader, SqlLimits limits) {
    this.reader = reader;
    this.limits = limits;
  }

  /**
   * Turns {@link SqlGuard} off, so a test can show that the engine layer alone (read-only session,
   * SELECT-only user) still refuses what the guard would have. Never used outside tests.
   */
  SqlExecutor withoutGuardForTests() {
    guarded = false;
    return this;
  }

  /**
   * Builds the database from the SQL script at {@code script} (trusted: it is run as the database's
   * owner) and opens the model's read-only session.
   *
   * @throws UncheckedIOException when the script cannot be read
   * @throws IllegalArgumentException when the script fails, naming the file and H2's message
   */
  public static SqlExecutor fromScript(Path script, SqlLimits limits) {
    String text;
    try {
      text = Files.readString(script, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read SQL script " + script, e);
    }
    return fromScript(text, script.toString(), limits);
  }

  /**
   * Builds the database from a trusted SQL script text ({@code CREATE TABLE} and {@code INSERT}
   * statements separated by {@code ;}) and opens the model's read-only session.
   *
   * @param source names the script in error messages
   * @throws IllegalArgumentException when the script fails, naming {@code source} and H2's message
   */
  public static SqlExecutor fromScript(String script, String source, SqlLimits limits) {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(limits, "limits");
    String secret = randomSecret();
    // A private database: a random name nobody else can guess, gone when its last session closes.
    // Lower-case identifiers: the world is lower case, and column labels come back as written.
    // The reader's URL carries no setting (settings are the owner's to make).
    String url = "jdbc:h2:mem:dart4j-sql-" + randomSecret();
    Connection reader = null;
    try (Connection owner = connect(url + ";DATABASE_TO_LOWER=TRUE", "OWNER", secret)) {
      try (Statement st = owner.createStatement()) {
        st.execute(script);
      } catch (SQLException e) {
        throw new IllegalArgumentException(
            "SQL script " + source + " failed: " + e.getMessage(), e);
      }
      String readerSecret = randomSecret();
      try (Statement st = owner.createStatement()) {
        st.execute("CREATE USER " + READER + " PASSWORD '" + readerSecret + "'");
        for (String table : tables(owner)) {
          st.execute("GRANT SELECT ON " + quote(table) + " TO " + READER);
        }
      }
      reader = connect(url, READER, readerSecret);
      reader.setReadOnly(true);
      reader.setAutoCommit(true);
      return new SqlExecutor(reader, limits);
    } catch (SQLException e) {
      closeQuietly(reader);
      throw new IllegalStateException("cannot open the SQL tool's database: " + e.getMessage(), e);
    }
  }

  /** The limits every call runs under. */
  public SqlLimits limits() {
    return limits;
  }

  /**
   * One observation per call, in order. Never throws for what a call contains; every refusal or
   * engine error is the observation's text.
   *
   * @throws IllegalStateException when the executor is closed
   */
  public synchronized List<String> execute(List<String> sqlCalls) {
    if (closed) {
      throw new IllegalStateException("the SQL tool is closed");
    }
    List<String> out = new ArrayList<>(sqlCalls.size());
    for (String call : sqlCalls) {
      out.add(wrap(body(call)));
    }
    return out;
  }

  private String body(String call) {
    Optional<String> refusal =
        guarded ? SqlGuard.refusal(call, limits.maxQueryChars()) : Optional.empty();
    if (refusal.isPresent()) {
      return error(refusal.get());
    }
    int room =
        limits.maxObservationChars() - OBSERVATION_OPEN.length() - OBSERVATION_CLOSE.length();
    try (Statement st = reader.createStatement()) {
      // Armed before every call: the timeout is a session setting, so a call that changed it
      // (were the guard ever to let a SET through) must not carry the change to the next one.
      st.execute("SET QUERY_TIMEOUT " + limits.timeoutMillis());
      // One more than shown, so the table can say that rows were left out.
      st.setMaxRows(limits.maxRows() + 1);
      if (!st.execute(call.strip())) {
        return error("only select statements are allowed");
      }
      try (ResultSet rs = st.getResultSet()) {
        return ResultTable.format(rs, limits, room);
      }
    } catch (SQLException e) {
      return error(message(e));
    } catch (RuntimeException e) {
      // H2 signals some internal limits as runtime exceptions; the model still gets an answer.
      LOG.warn("SQL tool: unexpected {} for a model-written query", e.getClass().getName(), e);
      return error("the database could not run this query");
    }
  }

  /** H2's message without the echoed statement and the error code suffix. */
  static String message(SQLException e) {
    if (e.getErrorCode() == ErrorCode.STATEMENT_WAS_CANCELED) {
      return "query timed out (more than the time limit): ask for fewer rows or simplify the join";
    }
    String m = Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    int cut = m.indexOf("; SQL statement:");
    if (cut >= 0) {
      m = m.substring(0, cut);
    }
    m = m.replaceAll("\\s*\\[\\d+-\\d+\\]\\s*$", "");
    return m.replace('\n', ' ').replace('\r', ' ').strip().toLowerCase(Locale.ROOT);
  }

  private static String error(String message) {
    return "error : " + message;
  }

  private String wrap(String body) {
    int room =
        limits.maxObservationChars() - OBSERVATION_OPEN.length() - OBSERVATION_CLOSE.length();
    return OBSERVATION_OPEN + ResultTable.fit(body, room) + OBSERVATION_CLOSE;
  }

  private static List<String> tables(Connection owner) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement st = owner.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT table_name FROM information_schema.tables"
                    + " WHERE table_schema = 'public' ORDER BY table_name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    // The H2 driver directly, not DriverManager's service lookup: works on any class path.
    Connection c = new org.h2.Driver().connect(url, p);
    if (c == null) {
      throw new SQLException("H2 refused the URL " + url);
    }
    return c;
  }

  private static String randomSecret() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static void closeQuietly(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        LOG.debug("closing a half-opened SQL tool session", e);
      }
    }
  }

  /** Drops the database. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      closeQuietly(reader);
    }
  }
}

package io.github.dartrl.grpo.tool.sql;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The first line of defence against model-written SQL: a small lexer that accepts one {@code
 * SELECT} statement and refuses everything else before it reaches the engine.
 *
 * <p>It reads the text as H2 would split it into words, strings, quoted identifiers and comments,
 * and refuses: a statement that does not start with {@code SELECT} (or {@code WITH}, or an opening
 * parenthesis before either); a second statement after a {@code ;}; any word that names a command
 * ({@code INSERT}, {@code DROP}, {@code CALL}, {@code RUNSCRIPT}, {@code SET}, ...) or a built-in
 * that reads or writes files, links other databases, changes sequences, or can run for long without
 * the engine noticing a cancel (file functions, {@code LINK_SCHEMA}, {@code REGEXP_*}, {@code
 * REPEAT}, ...), also when written as a quoted identifier; Unicode-escaped names ({@code U&"..."})
 * and dollar-quoted strings, which could spell those names in a form this lexer does not decode.
 *
 * <p>It is not the only line: {@link SqlExecutor} also runs the statement as a user that may only
 * read the tables, on a read-only connection, under a timeout and a row limit (see {@code
 * docs/tools.md}). A refusal is a message for the model, so it says what is allowed.
 */
public final class SqlGuard {

  /** Words that start or are part of a statement other than a query, or a session change. */
  private static final Set<String> COMMANDS =
      Set.of(
          "INSERT",
          "UPDATE",
          "DELETE",
          "MERGE",
          "UPSERT",
          "CREATE",
          "DROP",
          "ALTER",
          "TRUNCATE",
          "GRANT",
          "REVOKE",
          "CALL",
          "EXECUTE",
          "EXEC",
          "PREPARE",
          "DEALLOCATE",
          "RUNSCRIPT",
          "SCRIPT",
          "BACKUP",
          "RESTORE",
          "SHUTDOWN",
          "SET",
          "COMMIT",
          "ROLLBACK",
          "SAVEPOINT",
          "BEGIN",
          "CHECKPOINT",
          "ANALYZE",
          "COMMENT",
          "EXPLAIN",
          "HELP",
          "SHOW",
          "LOCK",
          "USE",
          "DECLARE",
          "NEXTVAL",
          "CURRVAL",
          "SETVAL");

  /**
   * Built-ins that touch files or other databases, end sessions, or grow memory or time in a loop
   * the engine's cancel check does not reach (a catastrophic regular expression, a string repeated
   * a billion times).
   */
  private static final Set<String> FUNCTIONS =
      Set.of(
          "FILE_READ",
          "FILE_WRITE",
          "CSVREAD",
          "CSVWRITE",
          "LINK_SCHEMA",
          "LINK_TABLE",
          "CANCEL_SESSION",
          "ABORT_SESSION",
          "JAVA_OBJECT",
          "TRUNCATE_VALUE",
          "REGEXP",
          "REGEXP_LIKE",
          "REGEXP_REPLACE",
          "REGEXP_SUBSTR",
          "REPEAT",
          "SPACE",
          "LPAD",
          "RPAD",
          "ARRAY_REPEAT",
          "SYSTEM_RANGE",
          "GENERATE_SERIES",
          "DATABASE_PATH",
          "SESSION_ID",
          "READONLY",
          "DISK_SPACE_USED",
          "MEMORY_FREE",
          "MEMORY_USED",
          "SIGNAL");

  private static final Set<String> FIRST_WORDS = Set.of("SELECT", "WITH");

  private SqlGuard() {}

  /**
   * Why {@code sql} may not run, or empty when it is one query this guard accepts.
   *
   * @param sql the call text as the model wrote it
   * @param maxChars the longest text accepted (checked before lexing)
   */
  public static Optional<String> refusal(String sql, int maxChars) {
    if (sql == null || sql.isBlank()) {
      return Optional.of("empty query: write one select statement");
    }
    if (sql.length() > maxChars) {
      return Optional.of(
          "query too long ("
              + sql.length()
              + " characters, at most "
              + maxChars
              + "): write one short select statement");
    }
    String firstWord = null;
    boolean ended = false;
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
        while (i < n && sql.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          return Optional.of("unclosed comment");
        }
        i = end + 2;
      } else if (ended) {
        return Optional.of("only one statement is allowed: remove everything after the ;");
      } else if (c == ';') {
        ended = true;
        i++;
      } else if (c == '\'') {
        int end = closing(sql, i, '\'');
        if (end < 0) {
          return Optional.of("unclosed string literal");
        }
        i = end + 1;
      } else if (c == '"') {
        int end = closing(sql, i, '"');
        if (end < 0) {
          return Optional.of("unclosed quoted name");
        }
        String name = sql.substring(i + 1, end).replace("\"\"", "\"");
        Optional<String> bad = forbidden(name);
        if (bad.isPresent()) {
          return bad;
        }
        if (firstWord == null) {
          firstWord = name;
        }
        i = end + 1;
      } else if (c == '$' && i + 1 < n && sql.charAt(i + 1) == '$') {
        return Optional.of("dollar-quoted strings are not allowed: use '...'");
      } else if (c == '`') {
        return Optional.of("backquoted names are not allowed: use \"...\"");
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
          i++;
        }
        String word = sql.substring(start, i);
        if (i < n && sql.charAt(i) == '&' && word.equalsIgnoreCase("U")) {
          return Optional.of("unicode-escaped names and strings are not allowed");
        }
        Optional<String> bad = forbidden(word);
        if (bad.isPresent()) {
          return bad;
        }
        if (firstWord == null) {
          firstWord = word;
        }
      } else if (c == '(' && firstWord == null) {
        i++;
      } else {
        if (firstWord == null) {
          return Optional.of("only select statements are allowed");
        }
        i++;
      }
    }
    if (firstWord == null) {
      return Optional.of("empty query: write one select statement");
    }
    if (!FIRST_WORDS.contains(firstWord.toUpperCase(Locale.ROOT))) {
      return Optional.of(
          "only select statements are allowed, not " + firstWord.toLowerCase(Locale.ROOT));
    }
    return Optional.empty();
  }

  private static Optional<String> forbidden(String word) {
    String upper = word.toUpperCase(Locale.ROOT);
    if (COMMANDS.contains(upper)) {
      return Optional.of(
          "only select statements are allowed: " + word.toLowerCase(Locale.ROOT) + " is refused");
    }
    if (FUNCTIONS.contains(upper)) {
      return Optional.of(
          "the function " + word.toLowerCase(Locale.ROOT) + " is not allowed in this database");
    }
    return Optional.empty();
  }

  /** Index of the quote closing the one at {@code open} (a doubled quote is an escape), or -1. */
  private static int closing(String sql, int open, char quote) {
    int i = open + 1;
    while (i < sql.length()) {
      if (sql.charAt(i) == quote) {
        if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i;
      }
      i++;
    }
    return -1;
  }
}

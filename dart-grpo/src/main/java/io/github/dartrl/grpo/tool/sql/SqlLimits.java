package io.github.dartrl.grpo.tool.sql;

/**
 * The bounds on one model-written SQL call. Every bound is enforced by {@link SqlExecutor}; a call
 * that hits one gets an observation saying so, never an exception.
 *
 * @param timeoutMillis wall-clock limit of one statement inside the engine (H2's {@code
 *     QUERY_TIMEOUT}); a statement over it is cancelled
 * @param maxRows rows shown per result; the engine is asked for one more, to say that more exist
 * @param maxCellChars characters shown per value; longer values are cut and end in {@code ...}
 * @param maxObservationChars characters of the whole observation, tags included; a longer table is
 *     cut at a row boundary and says so
 * @param maxQueryChars longest call text accepted; a longer one is refused without parsing
 */
public record SqlLimits(
    int timeoutMillis, int maxRows, int maxCellChars, int maxObservationChars, int maxQueryChars) {

  /** Validates that every bound is positive and the observation can hold a short message. */
  public SqlLimits {
    positive("timeoutMillis", timeoutMillis);
    positive("maxRows", maxRows);
    positive("maxCellChars", maxCellChars);
    positive("maxQueryChars", maxQueryChars);
    if (maxObservationChars < MIN_OBSERVATION_CHARS) {
      throw new IllegalArgumentException(
          "maxObservationChars must be at least "
              + MIN_OBSERVATION_CHARS
              + " (tags and a short message), got "
              + maxObservationChars);
    }
  }

  /** The least {@link #maxObservationChars}: the tags plus room for a one-line message. */
  public static final int MIN_OBSERVATION_CHARS = 120;

  /**
   * Bounds sized for the bundled world's word-level rollouts: 2 s per statement, 10 rows, 40
   * characters per value, 600 characters per observation, 1,000 per query.
   */
  public static SqlLimits defaults() {
    return new SqlLimits(2_000, 10, 40, 600, 1_000);
  }

  /** A copy with another statement timeout. */
  public SqlLimits withTimeoutMillis(int millis) {
    return new SqlLimits(millis, maxRows, maxCellChars, maxObservationChars, maxQueryChars);
  }

  private static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0, got " + value);
    }
  }
}

package io.github.dartrl.core.faults;

import java.util.List;
import java.util.Objects;

/**
 * One bad input: how it is made, what a user would call on it, and what must come back.
 *
 * <p>Every case runs in its own {@link Workspace}; the suite snapshots the workspace after {@link
 * #arrange} and checks after {@link #action} that no file was created, deleted or changed.
 *
 * @param name a stable, unique name (listed in docs/reliability.md)
 * @param category what kind of input is bad
 * @param input the bad input in words, for the docs table
 * @param arrange writes the bad input into the workspace
 * @param action the public API call or CLI run a user would make
 * @param expected the exception or exit code, and message fragments
 * @param verify extra checks after the action (e.g. how many HTTP attempts were made)
 */
public record FaultCase(
    String name,
    Category category,
    String input,
    Arrange arrange,
    Action action,
    Expected expected,
    Verify verify) {

  public FaultCase {
    Objects.requireNonNull(name);
    Objects.requireNonNull(category);
    Objects.requireNonNull(arrange);
    Objects.requireNonNull(action);
    Objects.requireNonNull(expected);
    Objects.requireNonNull(verify);
  }

  /** Writes the bad input. */
  @FunctionalInterface
  public interface Arrange {
    void prepare(Workspace w) throws Exception;
  }

  /** Calls the API on it; returns a {@link CliRun} for CLI cases. */
  @FunctionalInterface
  public interface Action {
    Object run(Workspace w) throws Exception;
  }

  /** Checks something beyond the exception (after the file snapshot comparison). */
  @FunctionalInterface
  public interface Verify {
    void check(Workspace w) throws Exception;
  }

  /** What a command-line run returned: its exit code and what it printed. */
  public record CliRun(int exit, String out, String err) {}

  /** What the action must produce. */
  public sealed interface Expected permits Throws, Exits {}

  /**
   * The action throws {@code type} whose message contains every fragment ({@code {url}} and {@code
   * {root}} are replaced by the workspace's server URL and root directory).
   */
  public record Throws(Class<? extends Throwable> type, List<String> fragments)
      implements Expected {}

  /** The CLI exits with {@code code} and prints every fragment on stderr, with no stack trace. */
  public record Exits(int code, List<String> fragments) implements Expected {}

  public static Throws throwsA(Class<? extends Throwable> type, String... fragments) {
    return new Throws(type, List.of(fragments));
  }

  public static Exits exits(int code, String... fragments) {
    return new Exits(code, List.of(fragments));
  }

  /** A case with no extra check. */
  public static FaultCase of(
      String name,
      Category category,
      String input,
      Arrange arrange,
      Action action,
      Expected expected) {
    return new FaultCase(name, category, input, arrange, action, expected, w -> {});
  }

  /** The same case with an extra check after the action. */
  public FaultCase verifying(Verify check) {
    return new FaultCase(name, category, input, arrange, action, expected, check);
  }
}

package io.github.dartrl.examples.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * A command that ends in an {@link Error} of the JVM prints one clear {@code error:} line and exits
 * {@value CliErrorHandler#JVM_ERROR}; before, picocli let every Error escape {@code execute} and
 * the JVM printed a raw stack trace (the packaged CLI's NoClassDefFoundError for commons-math3, an
 * OutOfMemoryError on a huge config).
 */
class CliErrorHandlerTest {

  @Command(name = "thrower")
  static final class Thrower implements Callable<Integer> {
    final Supplier<Throwable> failure;

    Thrower(Supplier<Throwable> failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      Throwable t = failure.get();
      if (t instanceof Error e) {
        throw e;
      }
      throw (Exception) t;
    }
  }

  record Run(int exit, String err) {}

  static Run run(Supplier<Throwable> failure) {
    CommandLine cli = CliErrorHandler.withErrorHandling(new CommandLine(new Thrower(failure)));
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute();
    return new Run(exit, err.toString());
  }

  private static void assertOneLine(Run r, String... fragments) {
    assertThat(r.exit()).isEqualTo(3);
    assertThat(r.err().strip().lines()).hasSize(1);
    assertThat(r.err()).startsWith("error: ").contains(fragments).contains("dart4j.stacktrace");
  }

  @Test
  void outOfMemorySaysHowToGiveMore() {
    Run r = run(() -> new OutOfMemoryError("Java heap space"));
    assertOneLine(r, "out of memory", "Java heap space", "-Xmx");
  }

  @Test
  void aMissingClassSaysTheInstallationIsIncomplete() {
    Run r = run(() -> new NoClassDefFoundError("org/apache/commons/math3/random/RandomGenerator"));
    assertOneLine(
        r,
        "installation is incomplete",
        "org.apache.commons.math3.random.RandomGenerator",
        "target/lib");
  }

  @Test
  void aClassWhoseInitialiserFailedIsNotCalledMissing() {
    Run r =
        run(
            () ->
                new NoClassDefFoundError(
                    "Could not initialize class org.nd4j.linalg.factory.Nd4j"));
    assertOneLine(r, "failed to start", "Could not initialize class org.nd4j.linalg.factory.Nd4j");
    assertThat(r.err()).doesNotContain("missing from the classpath");
  }

  @Test
  void aStackOverflowSaysWhatToRaise() {
    Run r = run(StackOverflowError::new);
    assertOneLine(r, "stack overflow", "-Xss");
  }

  @Test
  void anErrorFromAWorkerThreadIsAnErrorToo() {
    Run r =
        run(
            () -> {
              try {
                CompletableFuture.supplyAsync(
                        () -> {
                          throw new OutOfMemoryError("Direct buffer memory");
                        })
                    .get();
                return new AssertionError("unreachable");
              } catch (Exception e) {
                return e; // ExecutionException(OutOfMemoryError)
              }
            });
    assertOneLine(r, "out of memory", "Direct buffer memory");
  }

  @Test
  void anExceptionStaysOneLineWithExitCode1() {
    Run r = run(() -> new IllegalArgumentException("dataset not found: qa.jsonl"));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err().strip()).isEqualTo("error: dataset not found: qa.jsonl");
  }

  @Test
  void theTraceIsThereWhenAskedFor() {
    System.setProperty("dart4j.stacktrace", "true");
    try {
      Run r = run(() -> new OutOfMemoryError("Java heap space"));
      assertThat(r.exit()).isEqualTo(3);
      assertThat(r.err()).contains("java.lang.OutOfMemoryError: Java heap space", "\tat ");
    } finally {
      System.clearProperty("dart4j.stacktrace");
    }
  }
}

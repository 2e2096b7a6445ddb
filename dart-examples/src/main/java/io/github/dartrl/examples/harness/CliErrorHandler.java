package io.github.dartrl.examples.harness;

import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure of a command into one clear line on stderr and an exit code, instead of a stack
 * trace: an exception (bad input, I/O) exits 1 with its message; an {@link Error} of the JVM
 * ({@link OutOfMemoryError}, {@link NoClassDefFoundError} and other {@link LinkageError}s, {@link
 * StackOverflowError}) exits {@value #JVM_ERROR} with what it means and what to do. picocli hands
 * only exceptions to an {@link IExecutionExceptionHandler}; an Error leaves {@code execute}, so
 * this class is also the execution strategy and catches it there.
 *
 * <p>Set {@code -Ddart4j.stacktrace=true} (e.g. {@code JAVA_OPTS=-Ddart4j.stacktrace=true
 * scripts/dart4j ...}) to see the trace; an Error's trace is also logged at DEBUG.
 */
public final class CliErrorHandler implements IExecutionExceptionHandler, IExecutionStrategy {
  private static final Logger LOG = LoggerFactory.getLogger(CliErrorHandler.class);

  /** Exit code of a command that ended in an {@link Error} of the JVM. */
  static final int JVM_ERROR = 3;

  private static final String TRACE_HINT =
      " (stack trace: JAVA_OPTS=-Ddart4j.stacktrace=true scripts/dart4j ...)";

  private final IExecutionStrategy delegate = new CommandLine.RunLast();

  /**
   * Makes {@code cli} report a failure as one {@code error:} line and an exit code instead of a
   * stack trace: 1 for an exception, 3 for an Error of the JVM (out of memory, missing class). The
   * {@code dart4j} command line and the benchmark mains use it.
   */
  public static CommandLine withErrorHandling(CommandLine cli) {
    CliErrorHandler handler = new CliErrorHandler();
    cli.setExecutionExceptionHandler(handler);
    cli.setExecutionStrategy(handler);
    return cli;
  }

  @Override
  public int execute(ParseResult parseResult) {
    try {
      return delegate.execute(parseResult);
    } catch (Error e) { // the point of this class; the JVM exits right after
      CommandLine cli = parseResult.commandSpec().commandLine();
      return handleError(e, cli);
    }
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parseResult) {
    Error cause = errorIn(ex);
    if (cause != null) { // an Error thrown on a worker thread arrives wrapped in an exception
      return handleError(cause, cli);
    }
    if (Boolean.getBoolean("dart4j.stacktrace")) {
      ex.printStackTrace(cli.getErr());
    }
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    cli.getErr().println(cli.getColorScheme().errorText("error: " + message));
    return 1;
  }

  private static int handleError(Error e, CommandLine cli) {
    PrintWriter err = cli.getErr();
    if (Boolean.getBoolean("dart4j.stacktrace")) {
      e.printStackTrace(err);
    }
    LOG.debug("command ended in an Error", e);
    err.println(cli.getColorScheme().errorText("error: " + describe(e) + TRACE_HINT));
    err.flush();
    return JVM_ERROR;
  }

  /** What the Error means for the user, in one line. */
  static String describe(Error e) {
    String detail = e.getMessage() == null ? "" : ": " + e.getMessage();
    if (e instanceof OutOfMemoryError) {
      return "out of memory ("
          + e.getClass().getSimpleName()
          + detail
          + "); give the JVM more, e.g. JAVA_OPTS=\"-Xmx8g -XX:MaxDirectMemorySize=8g\","
          + " or use a smaller model, batch or sequence length";
    }
    if (e instanceof StackOverflowError) {
      return "stack overflow (StackOverflowError); the input is nested too deeply for the"
          + " thread stack: raise it with JAVA_OPTS=-Xss64m";
    }
    if (e instanceof NoClassDefFoundError
        && e.getMessage() != null
        && e.getMessage().startsWith("Could not initialize class")) {
      return "a library failed to start ("
          + e.getMessage()
          + ": its static initialiser failed earlier, see the log above)";
    }
    if (e instanceof NoClassDefFoundError || e instanceof ClassFormatError) {
      return "the installation is incomplete: class "
          + (e.getMessage() == null ? "?" : e.getMessage().replace('/', '.'))
          + " is missing from the classpath ("
          + e.getClass().getSimpleName()
          + "); rebuild with ./mvnw -B package -DskipTests (dart-examples/target/lib holds the"
          + " runtime classpath)";
    }
    if (e instanceof LinkageError) {
      return "a class or native library cannot be loaded ("
          + e.getClass().getSimpleName()
          + detail
          + "); rebuild with ./mvnw -B package -DskipTests, and check that this machine is"
          + " linux-x86_64";
    }
    return "internal error of the JVM (" + e.getClass().getName() + detail + ")";
  }

  /** The first Error in the cause chain of {@code t} (at most 32 deep), or null. */
  static Error errorIn(Throwable t) {
    Throwable c = t;
    for (int depth = 0; c != null && depth < 32; depth++, c = c.getCause()) {
      if (c instanceof Error e) {
        return e;
      }
    }
    return null;
  }
}

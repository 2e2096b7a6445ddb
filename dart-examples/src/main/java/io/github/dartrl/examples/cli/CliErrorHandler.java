package io.github.dartrl.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns an exception thrown by a command into one clear line on stderr and exit code 1, instead of
 * a stack trace. Set {@code -Ddart4j.stacktrace=true} to see the trace.
 */
final class CliErrorHandler implements IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(Exception ex, CommandLine cli, ParseResult parseResult) {
    if (Boolean.getBoolean("dart4j.stacktrace")) {
      ex.printStackTrace(cli.getErr());
    }
    String message = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    cli.getErr().println(cli.getColorScheme().errorText("error: " + message));
    return 1;
  }
}

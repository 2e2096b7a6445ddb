/**
 * The {@code dart4j} command line (picocli): one command class per subcommand, the shared model and
 * device options, the output-directory guard, and the error handler that turns a library exception
 * into one line and an exit code.
 */
package io.github.dartrl.examples.cli;

/**
 * The skeleton every experiment (quickstart, compare, interference, train-real) and benchmark
 * shares: the output-directory guard ({@link io.github.dartrl.examples.harness.OutputDir}), phases
 * timed against a budget ({@link io.github.dartrl.examples.harness.Phases}), the description of the
 * machine a figure was measured on ({@link io.github.dartrl.examples.harness.Machine}) and the one
 * Markdown table writer of the reports ({@link io.github.dartrl.examples.harness.MarkdownTable}),
 * and the error handling every command-line main shares ({@link
 * io.github.dartrl.examples.harness.CliErrorHandler}). It depends on no experiment package and not
 * on the command line, so every experiment, benchmark and command can use it.
 */
package io.github.dartrl.examples.harness;

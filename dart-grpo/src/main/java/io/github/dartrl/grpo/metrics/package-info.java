/**
 * Run outputs: per-step metrics appended to {@code metrics.jsonl} ({@link
 * io.github.dartrl.grpo.metrics.MetricsLog}), a periodic progress line with ETA ({@link
 * io.github.dartrl.grpo.metrics.ProgressReporter}), PNG curves ({@link
 * io.github.dartrl.grpo.metrics.MetricsPlot}), CSV tables ({@link
 * io.github.dartrl.grpo.metrics.CsvWriter}) and atomic file replacement ({@link
 * io.github.dartrl.core.io.AtomicFiles}).
 */
package io.github.dartrl.grpo.metrics;

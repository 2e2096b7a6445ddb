/**
 * Small statistics for the LEAS reports: descriptive summaries with type-7 quantiles ({@link
 * io.github.dartrl.leas.stats.Summary}), fixed-bin histograms ({@link
 * io.github.dartrl.leas.stats.Histogram}), the paired Wilcoxon signed-rank test with its normal
 * approximation ({@link io.github.dartrl.leas.stats.WilcoxonSignedRank}), the standard normal
 * distribution ({@link io.github.dartrl.leas.stats.Normal}) and a seeded percentile bootstrap
 * ({@link io.github.dartrl.leas.stats.PercentileBootstrap}); the paired comparison over the batch
 * probe's splits ({@link io.github.dartrl.leas.stats.PairedComparison}) uses commons-math3's
 * Wilcoxon test. Plain {@code double[]} arithmetic: these run on a few thousand numbers in plain
 * Java.
 */
package io.github.dartrl.leas.stats;

package io.github.dartrl.leas.attribution;

/**
 * One bin of the λ23 histogram with the mean raw accuracy (k/N) of the questions in it, the overlay
 * of the paper's Fig. 2 (interference concentrates on questions the unified model solves often).
 *
 * @param lo bin start
 * @param hi bin end
 * @param questions questions in the bin
 * @param unifiedAccuracy mean Unified accuracy in the bin (NaN if empty)
 * @param baseAccuracy mean Base accuracy in the bin (NaN if empty)
 */
public record AccuracyBin(
    double lo, double hi, int questions, double unifiedAccuracy, double baseAccuracy) {}

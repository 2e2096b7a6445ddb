/**
 * Reports of the LEAS measurements: JSON with every number, CSV tables, PNG charts (JFreeChart) and
 * a short Markdown summary, written atomically into one directory ({@link
 * io.github.dartrl.leas.report.ProbeReport}, {@link
 * io.github.dartrl.leas.report.AttributionReport}).
 */
package io.github.dartrl.leas.report;

/**
 * LEAS interference attribution: the per-question counts of the variants, the count tables and
 * design of the conditional effect analysis, the fitted coefficients with their bootstrap
 * statistics, the identical-models null that calibrates them, and the runner that produces an
 * attribution result from variant evaluations.
 */
package io.github.dartrl.leas.attribution;

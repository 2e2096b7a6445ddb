/**
 * The {@code interference} job: LEAS/CEA on the bundled world. Warm-starts a tiny model (the
 * quickstart's first half), trains the three CEA variants Reas, Tool and Unified from it with
 * role-masked GRPO, samples the six variants for the attribution, runs the gradient-angle probe,
 * and writes one results folder.
 */
package io.github.dartrl.examples.interference;

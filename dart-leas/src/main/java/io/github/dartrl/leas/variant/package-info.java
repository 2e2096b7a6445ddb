/**
 * Model variants for CEA: a {@link io.github.dartrl.leas.variant.Generator} is one set of weights
 * (a backbone, optionally one adapter of its LoRA stack); a {@link
 * io.github.dartrl.leas.variant.VariantSet} holds Base, Reas, Tool and Unified; and {@link
 * io.github.dartrl.leas.variant.VariantRolloutEngine} rolls out Search-R1 trajectories in which one
 * generator writes the reasoning tokens and another the tool-call tokens, either by hand-off
 * between two KV caches (exact two-model hybrids) or by per-token adapter routing on one cache.
 */
package io.github.dartrl.leas.variant;

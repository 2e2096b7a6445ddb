package io.github.dartrl.grpo.loss;

/**
 * How per-token losses {@code ℓ [B, L]} with mask {@code m} become one number (verl {@code
 * agg_loss}). Denominators are those of the whole mini-batch, so splitting it into micro-batches
 * and summing their losses gives exactly the mini-batch loss.
 */
public enum LossAggregation {
  /** Σ m ℓ / N_tokens (verl default). */
  TOKEN_MEAN,
  /** (1/N_seq) Σ_i (Σ_t m ℓ / Σ_t m): the original GRPO form. */
  SEQ_MEAN_TOKEN_MEAN,
  /** Σ m ℓ / (N_seq × L) with a constant L: Dr. GRPO, no length normalisation per sequence. */
  SEQ_MEAN_TOKEN_SUM_NORM
}

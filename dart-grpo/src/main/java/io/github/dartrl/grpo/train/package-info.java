/**
 * GRPO training: the configuration, the trainer loop (rollout, reward, update, evaluation,
 * checkpoint), the update step over micro-batches, resumable checkpoints with their manifest and
 * compatibility checks, and the policies for retriever failures and halting on bad steps.
 */
package io.github.dartrl.grpo.train;

/** Rewards for GRPO rollouts: answer normalisation and exact match (Search-R1's {@code qa_em}). */
package io.github.dartrl.grpo.reward;

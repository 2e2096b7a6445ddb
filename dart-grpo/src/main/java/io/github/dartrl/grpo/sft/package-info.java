/**
 * Supervised warm-start: {@link io.github.dartrl.grpo.sft.SftTrainer} fits a policy to
 * demonstration trajectories (token ids and one role per token) with cross-entropy on the tokens a
 * policy would have sampled (REASONING and TOOL), never on the prompt or on observations.
 */
package io.github.dartrl.grpo.sft;

/**
 * A trainable policy: a decoder model plus its training method (DART, LoRA, full fine-tuning,
 * 2-Agent), the configuration that chooses it, the batch of token sequences and roles it scores,
 * isolation of each adapter's gradient, the check that a checkpoint belongs to the same base model,
 * and saving and loading a policy as a checkpoint directory.
 */
package io.github.dartrl.core.policy;

/**
 * Autoregressive decoding with a KV cache: sampling parameters and the token sampler, the decode
 * session that stops on end-of-sequence or a stop string, the detokenizer that turns sampled ids
 * back into text incrementally, and the adapter schedule that says which LoRA adapter is active for
 * each generated token (the hook through which routed DART generation switches adapters).
 */
package io.github.dartrl.core.generate;

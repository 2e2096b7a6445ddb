/**
 * The decoder-only transformer (Llama/Qwen2 family) built on DJL: configuration parsing,
 * embeddings, attention with rotary embeddings and a KV cache, MLP, RMSNorm, the per-forward
 * context that carries each token's adapter index, loading Hugging Face checkpoints, and the scalar
 * helpers that keep arithmetic on differentiable tensors safe. Also the tiny randomly initialised
 * models the tests and the quickstart use.
 */
package io.github.dartrl.core.model;

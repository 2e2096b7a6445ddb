/**
 * Optimisation of the trainable parameters: AdamW with decoupled weight decay, the gradients of a
 * parameter set (backward, global-norm clipping, the non-finite check) and the learning-rate
 * schedules (constant or cosine, with warm-up).
 */
package io.github.dartrl.core.optim;

/**
 * {@code train-real}: GRPO with DART, single LoRA, full fine-tuning or 2-Agent on a real HF model,
 * corpus and the Search-R1 datasets ({@link io.github.dartrl.examples.real.TrainReal}); see
 * docs/train-real.md.
 */
package io.github.dartrl.examples.real;

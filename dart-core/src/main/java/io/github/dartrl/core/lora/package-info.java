/**
 * Low-rank adapters: {@code LoraLinear} (the frozen projection plus the LoRA product {@code B A x}
 * for the active adapter), the set of named adapters a model carries, their configuration, reading
 * and writing them as PEFT directories ({@code adapter_config.json} and {@code
 * adapter_model.safetensors}) and merging an adapter into the base weights.
 */
package io.github.dartrl.core.lora;

/**
 * Checkpoint I/O in the formats users already have: validating, memory-mapped safetensors reading
 * ({@link io.github.dartrl.core.io.SafetensorsFile}), atomic safetensors writing ({@link
 * io.github.dartrl.core.io.SafetensorsWriter}) and Hugging Face model directories with optional
 * sharding ({@link io.github.dartrl.core.io.HfWeights}). Every malformed input is reported as a
 * {@link io.github.dartrl.core.io.ModelFormatException} naming the file and the tensor or field.
 */
package io.github.dartrl.core.io;

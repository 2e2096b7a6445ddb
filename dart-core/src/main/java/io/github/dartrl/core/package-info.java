/** dart-core: the decoder model, checkpoint I/O, generation, LoRA adapters and the token router. */
package io.github.dartrl.core;

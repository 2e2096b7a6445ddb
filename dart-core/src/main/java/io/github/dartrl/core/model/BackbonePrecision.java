package io.github.dartrl.core.model;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;

/**
 * How the frozen backbone's matrices are stored. {@code FP32} on the CPU (libtorch's CPU kernels
 * are fastest and exact in fp32). {@code FP16} halves the resident weights on a GPU: the
 * projection, embedding and LM-head matrices are kept in fp16 and each product runs in fp32 on a
 * transient fp32 copy of its weight, so every activation, the RMSNorm weights and biases,
 * attention, the LoRA adapters and their gradients, the KV cache, log-softmax, the loss and AdamW's
 * state are fp32. (DJL 0.36's {@code toType} detaches its result from autograd, so the activations
 * cannot be cast to fp16 for fp16 products.) While decoding, each copy is freed after its product;
 * in a training step the copies of the frozen weights are kept by autograd until backward ends, so
 * a training step's peak is not lower than with fp32 weights, unless gradient checkpointing ({@link
 * DecoderModel#setGradientCheckpointing}) is on: then only the layer being recomputed holds its
 * copies. The LM head (the tied embedding, 136 M weights at Qwen2.5-0.5B's shape) is widened one
 * block of vocabulary rows (32 MB in fp32) at a time, never as a whole table, and with
 * checkpointing its backward is computed in closed form, block by block, so no fp32 copy of the
 * table is ever kept. On the CPU it is an option ({@link MemoryOptions}); no GPU has run it.
 *
 * <p>BF16 is not offered: DJL 0.36's PyTorch JNI maps data types only up to ordinal 8 and aborts
 * the JVM on a bf16 tensor, so bf16 checkpoints are widened on load.
 */
public enum BackbonePrecision {
  /** Every weight in fp32. */
  FP32(DataType.FLOAT32),
  /** Backbone matrices in fp16, all else fp32; LoRA methods only (FULL trains the backbone). */
  FP16(DataType.FLOAT16);

  private final DataType dataType;

  BackbonePrecision(DataType dataType) {
    this.dataType = dataType;
  }

  /** The data type of the backbone's matrices. */
  public DataType dataType() {
    return dataType;
  }

  /** FP16 on a GPU, FP32 on the CPU. */
  public static BackbonePrecision defaultFor(Device device) {
    return device.isGpu() ? FP16 : FP32;
  }
}

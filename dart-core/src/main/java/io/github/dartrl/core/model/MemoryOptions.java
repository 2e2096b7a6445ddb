package io.github.dartrl.core.model;

import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How a model trades memory for time: per-layer activation recomputation in training forwards
 * ({@link DecoderModel#setGradientCheckpointing}) and how the backbone's matrices are stored
 * ({@link BackbonePrecision}). Both are off by default on the CPU; docs/train-real.md gives what
 * each costs.
 *
 * @param gradientCheckpointing recompute each decoder layer in backward instead of keeping its
 *     activations
 * @param backboneStorage how the backbone's matrices are stored, or null for {@link
 *     BackbonePrecision#defaultFor} the device (fp32 on the CPU)
 */
public record MemoryOptions(boolean gradientCheckpointing, BackbonePrecision backboneStorage) {

  /** No checkpointing, the device's default storage. */
  public static MemoryOptions defaults() {
    return new MemoryOptions(false, null);
  }

  /** Parses a storage name as the command line gives it: {@code fp32} or {@code fp16}. */
  public static BackbonePrecision parseStorage(String name) {
    try {
      return BackbonePrecision.valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "backbone storage must be fp32 or fp16 (bf16 aborts DJL 0.36's PyTorch engine), got '"
              + name
              + "'");
    }
  }

  /** Loads a model directory with these options. */
  public DecoderModel load(Path dir, NDManager parent) {
    DecoderModel m =
        HfCheckpoint.load(
            dir,
            parent,
            backboneStorage == null
                ? BackbonePrecision.defaultFor(parent.getDevice())
                : backboneStorage);
    m.setGradientCheckpointing(gradientCheckpointing);
    return m;
  }
}

package io.github.dartrl.examples.bench;

import io.github.dartrl.core.lora.LoraLinear;
import io.github.dartrl.core.model.ModelConfig;
import java.util.List;

/**
 * Counted (not measured) floating-point operations of a decoder step, one multiply-add = 2 FLOPs.
 *
 * <p>Per token, forward: {@code 2 × P_mm} for the matmul parameters (every projection of every
 * layer and the LM head; the embedding lookup is not a matmul) plus {@code 4 × L × H·D × S} for
 * attention ({@code QKᵀ} and {@code P·V} over the S keys each query sees; as the code computes the
 * full {@code T × T} product under a mask, S = T for a training forward — the PaLM convention).
 * Backward for activations only (frozen backbone: LoRA, DART) costs {@code 2 × P_mm} more per token
 * (the input gradients of every matmul) and {@code 8 × L × H·D × S} for attention (dQ, dK, dV, dP);
 * FULL adds the weight gradients, another {@code 2 × P_mm}. LoRA products count {@code 2 × R × (in
 * + out)} per adapted projection forward and three times that for forward + backward.
 */
public final class FlopCount {
  private FlopCount() {}

  /** What a timed step computes. */
  public enum Step {
    /** Forward only (grad mode off). */
    FORWARD,
    /** Forward + backward with a frozen backbone (activation gradients, adapter gradients). */
    ADAPTERS,
    /** Forward + backward with weight gradients for every backbone matrix. */
    FULL
  }

  /** Parameters that take part in matmuls per token: all projections and the LM head. */
  public static double matmulParams(ModelConfig c) {
    double d = c.hiddenSize();
    double q = c.numHeads() * (double) c.headDim();
    double kv = c.numKvHeads() * (double) c.headDim();
    double layer = 2 * d * q + 2 * d * kv + 3 * d * c.intermediateSize();
    return c.numLayers() * layer + d * c.vocabSize();
  }

  /** Attention FLOPs of one token's forward over {@code keys} keys, all layers. */
  public static double attentionPerToken(ModelConfig c, double keys) {
    return 4.0 * c.numLayers() * c.numHeads() * c.headDim() * keys;
  }

  /** Forward FLOPs of one token over {@code keys} keys, without adapters. */
  public static double forwardPerToken(ModelConfig c, double keys) {
    return 2 * matmulParams(c) + attentionPerToken(c, keys);
  }

  /** Forward FLOPs of the stacked LoRA products per token (all adapters' columns are computed). */
  public static double loraPerToken(List<LoraLinear> layers) {
    double f = 0;
    for (LoraLinear l : layers) {
      double r = l.stackedA().getShape().get(0);
      f += 2 * r * (l.target().inFeatures() + l.target().outFeatures());
    }
    return f;
  }

  /**
   * FLOPs of one step over {@code rows × seq} tokens (every row full length, so each query sees
   * {@code seq} keys).
   *
   * @param loraForwardPerToken {@link #loraPerToken} of the attached adapters, 0 without
   */
  public static double step(
      ModelConfig c, Step step, int rows, int seq, double loraForwardPerToken) {
    double mm = 2 * matmulParams(c);
    double att = attentionPerToken(c, seq);
    double perToken =
        switch (step) {
          case FORWARD -> mm + att + loraForwardPerToken;
          case ADAPTERS -> 2 * mm + 3 * att + 3 * loraForwardPerToken;
          case FULL -> 3 * mm + 3 * att + 3 * loraForwardPerToken;
        };
    return perToken * rows * (double) seq;
  }
}

package io.github.dartrl.core.model;

/**
 * Rotary-embedding frequency scaling, as in HF {@code rope_scaling}.
 *
 * <p>Supported types: {@code default} (none), {@code linear} (positions divided by {@code factor})
 * and {@code llama3} (per-frequency interpolation between {@code lowFreqFactor} and {@code
 * highFreqFactor}, HF {@code _compute_llama3_parameters}). Other types are rejected when the config
 * is parsed.
 *
 * @param type "default", "linear" or "llama3"
 * @param factor scaling factor (1 for default)
 * @param lowFreqFactor llama3 only
 * @param highFreqFactor llama3 only
 * @param originalMaxPositions llama3 only: {@code original_max_position_embeddings}
 */
public record RopeScaling(
    String type,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositions) {

  public RopeScaling {
    if (!type.equals("default") && !type.equals("linear") && !type.equals("llama3")) {
      throw new IllegalArgumentException("unsupported rope_scaling type: " + type);
    }
    if (!(factor > 0)) {
      throw new IllegalArgumentException("rope_scaling.factor must be > 0, got " + factor);
    }
    if (type.equals("llama3")
        && (!(lowFreqFactor > 0)
            || !(highFreqFactor > lowFreqFactor)
            || originalMaxPositions <= 0)) {
      throw new IllegalArgumentException(
          "llama3 rope_scaling needs 0 < low_freq_factor < high_freq_factor and"
              + " original_max_position_embeddings > 0");
    }
  }

  /** No scaling. */
  public static RopeScaling none() {
    return new RopeScaling("default", 1.0, 0, 0, 0);
  }

  /**
   * Inverse frequencies {@code 1 / theta^(2i/headDim)} for i in [0, headDim/2), with this scaling
   * applied. Computed in double, returned as float like HF (which computes them in fp32).
   */
  public float[] inverseFrequencies(int headDim, double theta) {
    int half = headDim / 2;
    float[] inv = new float[half];
    for (int i = 0; i < half; i++) {
      // HF: 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
      float exponent = (float) (2 * i) / headDim;
      inv[i] = (float) (1.0 / Math.pow(theta, exponent));
    }
    switch (type) {
      case "linear" -> {
        for (int i = 0; i < half; i++) {
          inv[i] = (float) (inv[i] / factor);
        }
      }
      case "llama3" -> {
        double lowWavelen = originalMaxPositions / lowFreqFactor;
        double highWavelen = originalMaxPositions / highFreqFactor;
        for (int i = 0; i < half; i++) {
          double wavelen = 2 * Math.PI / inv[i];
          if (wavelen > lowWavelen) {
            inv[i] = (float) (inv[i] / factor);
          } else if (wavelen >= highWavelen) {
            double smooth =
                (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
            inv[i] = (float) ((1 - smooth) * inv[i] / factor + smooth * inv[i]);
          }
        }
      }
      default -> {}
    }
    return inv;
  }
}

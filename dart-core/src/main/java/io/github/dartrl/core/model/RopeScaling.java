package io.github.dartrl.core.model;

import java.util.List;

/**
 * Rotary-embedding frequency scaling, as in HF {@code rope_scaling}.
 *
 * <p>Supported types, each following transformers' {@code modeling_rope_utils}:
 *
 * <ul>
 *   <li>{@code default}: none;
 *   <li>{@code linear}: frequencies divided by {@code factor};
 *   <li>{@code llama3}: per-frequency interpolation between {@code lowFreqFactor} and {@code
 *       highFreqFactor} ({@code _compute_llama3_parameters});
 *   <li>{@code yarn}: NTK-by-parts interpolation with a linear ramp between the dimensions that
 *       turn {@code betaFast} and {@code betaSlow} times over the original context, plus an
 *       attention factor applied to cos and sin ({@code _compute_yarn_parameters}). As in
 *       transformers, when {@code original_max_position_embeddings} is given the factor used is
 *       {@code max_position_embeddings / original_max_position_embeddings}, not the {@code factor}
 *       field;
 *   <li>{@code dynamic}: dynamic NTK, the base grown to {@code theta * (factor * L / max - (factor
 *       - 1))^(D/(D-2))} for a sequence of length {@code L > max_position_embeddings} and unchanged
 *       below ({@code _compute_dynamic_ntk_parameters}).
 * </ul>
 *
 * <p>Other types (e.g. {@code longrope}) are rejected when the config is parsed.
 *
 * @param type "default", "linear", "llama3", "yarn" or "dynamic"
 * @param factor scaling factor (1 for default)
 * @param lowFreqFactor llama3 only
 * @param highFreqFactor llama3 only
 * @param originalMaxPositions llama3 and yarn: {@code original_max_position_embeddings} (0 if
 *     absent, yarn only)
 * @param betaFast yarn only: {@code beta_fast} (32 by default)
 * @param betaSlow yarn only: {@code beta_slow} (1 by default)
 * @param attentionFactor yarn only: {@code attention_factor}, NaN to derive it from the factor
 * @param mscale yarn only: {@code mscale}, 0 if absent
 * @param mscaleAllDim yarn only: {@code mscale_all_dim}, 0 if absent
 * @param truncate yarn only: {@code truncate} (round the correction range outward; true by default)
 */
public record RopeScaling(
    String type,
    double factor,
    double lowFreqFactor,
    double highFreqFactor,
    int originalMaxPositions,
    double betaFast,
    double betaSlow,
    double attentionFactor,
    double mscale,
    double mscaleAllDim,
    boolean truncate) {

  /** The {@code rope_type} values this implementation computes. */
  public static final List<String> SUPPORTED =
      List.of("default", "linear", "llama3", "yarn", "dynamic");

  public RopeScaling {
    if (!SUPPORTED.contains(type)) {
      throw new IllegalArgumentException(
          "unsupported rope_scaling type \""
              + type
              + "\"; supported: "
              + String.join(", ", SUPPORTED));
    }
    if (!(factor > 0) || Double.isInfinite(factor)) {
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
    if (type.equals("yarn")) {
      if (originalMaxPositions < 0) {
        throw new IllegalArgumentException(
            "rope_scaling.original_max_position_embeddings must be > 0, got "
                + originalMaxPositions);
      }
      if (!(betaFast > 0) || !(betaSlow > 0) || betaFast < betaSlow) {
        throw new IllegalArgumentException(
            "yarn rope_scaling needs beta_fast >= beta_slow > 0, got beta_fast="
                + betaFast
                + ", beta_slow="
                + betaSlow);
      }
      if (!Double.isNaN(attentionFactor) && !(attentionFactor > 0)) {
        throw new IllegalArgumentException(
            "rope_scaling.attention_factor must be > 0, got " + attentionFactor);
      }
      if (mscale < 0 || mscaleAllDim < 0) {
        throw new IllegalArgumentException("rope_scaling.mscale and mscale_all_dim must be >= 0");
      }
    }
  }

  /** No scaling. */
  public static RopeScaling none() {
    return simple("default", 1.0);
  }

  /** A {@code linear} or {@code dynamic} scaling (or none), which have only a factor. */
  public static RopeScaling simple(String type, double factor) {
    return new RopeScaling(type, factor, 1.0, 4.0, 0, 32, 1, Double.NaN, 0, 0, true);
  }

  /** A {@code llama3} scaling. */
  public static RopeScaling llama3(
      double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
    return new RopeScaling(
        "llama3",
        factor,
        lowFreqFactor,
        highFreqFactor,
        originalMaxPositions,
        32,
        1,
        Double.NaN,
        0,
        0,
        true);
  }

  /**
   * Inverse frequencies for a sequence no longer than {@code maxPositions}; see {@link
   * #inverseFrequencies(int, double, int, int)}.
   */
  public float[] inverseFrequencies(int headDim, double theta, int maxPositions) {
    return inverseFrequencies(headDim, theta, maxPositions, maxPositions);
  }

  /**
   * Inverse frequencies {@code 1 / theta^(2i/headDim)} for i in [0, headDim/2), with this scaling
   * applied, for a model with {@code max_position_embeddings = maxPositions} running a sequence of
   * {@code seqLen} positions (only {@code dynamic} depends on it). Computed in double, returned as
   * float like HF (which computes them in fp32).
   */
  public float[] inverseFrequencies(int headDim, double theta, int maxPositions, int seqLen) {
    if (type.equals("dynamic")) {
      double len = Math.max(seqLen, maxPositions);
      theta =
          theta
              * Math.pow(
                  factor * len / maxPositions - (factor - 1), (double) headDim / (headDim - 2));
    }
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
      case "llama3" -> llama3(inv);
      case "yarn" -> yarn(inv, headDim, theta, maxPositions);
      default -> {}
    }
    return inv;
  }

  /**
   * The factor HF multiplies cos and sin by ({@code attention_scaling}): 1 except for yarn, where
   * it is {@code 0.1 ln(s) + 1} (or the ratio of two such terms with {@code mscale} and {@code
   * mscale_all_dim}) unless {@code attention_factor} is given.
   */
  public double attentionScaling(int maxPositions) {
    if (!type.equals("yarn")) {
      return 1.0;
    }
    if (!Double.isNaN(attentionFactor)) {
      return attentionFactor;
    }
    double s = yarnFactor(maxPositions);
    if (mscale > 0 && mscaleAllDim > 0) {
      return magnitude(s, mscale) / magnitude(s, mscaleAllDim);
    }
    return magnitude(s, 1.0);
  }

  private static double magnitude(double scale, double m) {
    return scale <= 1 ? 1.0 : 0.1 * m * Math.log(scale) + 1.0;
  }

  /** The factor yarn interpolates by: the context ratio when the original length is given. */
  private double yarnFactor(int maxPositions) {
    return originalMaxPositions > 0 ? (double) maxPositions / originalMaxPositions : factor;
  }

  private void llama3(float[] inv) {
    double lowWavelen = originalMaxPositions / lowFreqFactor;
    double highWavelen = originalMaxPositions / highFreqFactor;
    for (int i = 0; i < inv.length; i++) {
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

  /**
   * YaRN's NTK-by-parts: dimensions below {@code low} keep their frequency (extrapolation), those
   * above {@code high} are divided by the factor (interpolation), and a linear ramp blends the two
   * in between. {@code low}/{@code high} are the dimensions whose wavelength fits {@code betaFast}
   * and {@code betaSlow} turns into the original context.
   */
  private void yarn(float[] inv, int dim, double theta, int maxPositions) {
    double s = yarnFactor(maxPositions);
    int original = originalMaxPositions > 0 ? originalMaxPositions : maxPositions;
    double low = correctionDim(betaFast, dim, theta, original);
    double high = correctionDim(betaSlow, dim, theta, original);
    if (truncate) {
      low = Math.floor(low);
      high = Math.ceil(high);
    }
    low = Math.max(low, 0);
    high = Math.min(high, dim - 1);
    if (low == high) {
      high += 0.001; // as HF: avoids a division by zero in the ramp
    }
    for (int i = 0; i < inv.length; i++) {
      float ramp = (float) Math.min(1, Math.max(0, (i - low) / (high - low)));
      float extrapolation = 1 - ramp;
      float interpolated = (float) (inv[i] / s);
      inv[i] = interpolated * (1 - extrapolation) + inv[i] * extrapolation;
    }
  }

  /** The dimension whose rotary pair turns {@code rotations} times over {@code positions}. */
  private static double correctionDim(double rotations, int dim, double theta, int positions) {
    return dim * Math.log(positions / (rotations * 2 * Math.PI)) / (2 * Math.log(theta));
  }
}

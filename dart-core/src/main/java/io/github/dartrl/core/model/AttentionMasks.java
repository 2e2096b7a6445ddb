package io.github.dartrl.core.model;

/** Builds additive attention masks on the Java side (one small copy to the device per forward). */
final class AttentionMasks {
  private AttentionMasks() {}

  /**
   * Mask {@code [B, T, S]} (row-major) for queries in slots {@code [start, start+T)} over key slots
   * {@code [0, S)}: a key is visible iff it is valid and not in the future.
   *
   * @param keyValid validity of key slots, row {@code b} at {@code b*stride}
   */
  static float[] causal(boolean[] keyValid, int batch, int stride, int start, int t, int s) {
    float[] mask = new float[batch * t * s];
    for (int b = 0; b < batch; b++) {
      for (int i = 0; i < t; i++) {
        int base = (b * t + i) * s;
        int visibleEnd = Math.min(s, start + i + 1);
        for (int j = 0; j < s; j++) {
          if (j >= visibleEnd || !keyValid[b * stride + j]) {
            mask[base + j] = DecoderModel.MASKED;
          }
        }
      }
    }
    return mask;
  }
}

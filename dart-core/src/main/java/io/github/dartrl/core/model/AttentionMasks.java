package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

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

  /**
   * The additive mask {@code [B, T, S]} repeated for the G query heads of each KV head, as {@code
   * [B, 1, G*T, S]} (the grouped query layout of {@link Attention}), so a layer adds it without
   * reshaping ({@code g} query heads per KV head); null when it is all zeros (decoding one token
   * per row without padding), which skips the addition in every layer.
   */
  static NDArray grouped(NDManager scope, float[] mask, int g, int b, int t, int s) {
    boolean any = false;
    for (float m : mask) {
      if (m != 0f) {
        any = true;
        break;
      }
    }
    if (!any) {
      return null;
    }
    float[] tiled = mask;
    if (g > 1) {
      int block = t * s;
      tiled = new float[b * g * block];
      for (int r = 0; r < b; r++) {
        for (int j = 0; j < g; j++) {
          System.arraycopy(mask, r * block, tiled, (r * g + j) * block, block);
        }
      }
    }
    return OwnedArrays.of(scope, tiled, new Shape(b, 1, (long) g * t, s));
  }
}

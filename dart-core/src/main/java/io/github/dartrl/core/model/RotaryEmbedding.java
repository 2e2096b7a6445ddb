package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;

/**
 * Rotary position embeddings in the HF {@code rotate_half} convention: the two halves of each head
 * are the real and imaginary parts, {@code x' = x*cos + rotate_half(x)*sin} with {@code
 * rotate_half(x) = [-x2, x1]}.
 *
 * <p>The cos/sin tables {@code [maxPositions, D]} are computed once (in double, then stored as
 * fp32) and gathered per position; the sign of {@code rotate_half} is folded into the sin table so
 * applying RoPE is split + concat + two multiplies + add.
 */
final class RotaryEmbedding implements AutoCloseable {
  private final NDArray cos; // [P, D]
  private final NDArray signedSin; // [P, D]: [-sin, sin] over the two halves
  private final NDArray queryScale; // 0-dim 1/sqrt(D), libtorch-owned
  private final int headDim;
  private final ModelConfig config;

  RotaryEmbedding(NDManager manager, ModelConfig config) {
    this.headDim = config.headDim();
    this.config = config;
    int half = headDim / 2;
    int positions = config.maxPositions();
    float[] inv = config.ropeScaling().inverseFrequencies(headDim, config.ropeTheta(), positions);
    // HF multiplies cos and sin by the scaling's attention factor (yarn's magnitude correction)
    float attention = (float) config.ropeScaling().attentionScaling(positions);
    float[] c = new float[positions * headDim];
    float[] s = new float[positions * headDim];
    for (int p = 0; p < positions; p++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) p * inv[i]; // fp32 product, as HF computes it
        float cv = (float) Math.cos(angle) * attention;
        float sv = (float) Math.sin(angle) * attention;
        c[p * headDim + i] = cv;
        c[p * headDim + half + i] = cv;
        s[p * headDim + i] = -sv;
        s[p * headDim + half + i] = sv;
      }
    }
    this.cos = OwnedArrays.of(manager, c, new Shape(positions, headDim));
    this.signedSin = OwnedArrays.of(manager, s, new Shape(positions, headDim));
    this.queryScale =
        OwnedArrays.of(manager, new float[] {(float) (1.0 / Math.sqrt(headDim))}, new Shape());
  }

  /**
   * Tables gathered at {@code positions [B, T]} and shaped {@code [B, 1, T, D]} for broadcasting:
   * cos and signed sin for keys, then both multiplied by the attention scale {@code 1/sqrt(D)} for
   * queries (scaling the tables once per forward replaces one scaling op per layer).
   */
  NDList tablesAt(NDArray positions) {
    NDArray c =
        Embedding.embedding(positions, cos, SparseFormat.DENSE).singletonOrThrow().expandDims(1);
    NDArray s =
        Embedding.embedding(positions, signedSin, SparseFormat.DENSE)
            .singletonOrThrow()
            .expandDims(1);
    return new NDList(c, s, c.mul(queryScale), s.mul(queryScale));
  }

  /**
   * Whether a forward over these positions needs frequencies of its own: dynamic NTK beyond {@code
   * max_position_embeddings}, where the base grows with the sequence length.
   */
  boolean needsOwnTables(long[] positions) {
    return config.ropeScaling().type().equals("dynamic")
        && maxOf(positions) + 1 > config.maxPositions();
  }

  /**
   * As {@link #tablesAt}, for a forward whose longest row is past {@code max_position_embeddings}
   * under dynamic NTK: the frequencies of that length ({@code seq_len = max(position) + 1}, as
   * transformers' dynamic update computes it), at every position of the forward.
   */
  NDList ownTablesAt(NDManager scope, long[] positions, int b, int t) {
    int seqLen = Math.toIntExact(maxOf(positions) + 1);
    float[] inv =
        config
            .ropeScaling()
            .inverseFrequencies(headDim, config.ropeTheta(), config.maxPositions(), seqLen);
    int half = headDim / 2;
    float[] c = new float[positions.length * headDim];
    float[] s = new float[positions.length * headDim];
    float[] cq = new float[c.length];
    float[] sq = new float[s.length];
    float scale = (float) (1.0 / Math.sqrt(headDim));
    for (int p = 0; p < positions.length; p++) {
      for (int i = 0; i < half; i++) {
        float angle = (float) positions[p] * inv[i];
        float cv = (float) Math.cos(angle);
        float sv = (float) Math.sin(angle);
        int at = p * headDim;
        c[at + i] = cv;
        c[at + half + i] = cv;
        s[at + i] = -sv;
        s[at + half + i] = sv;
      }
    }
    for (int i = 0; i < c.length; i++) {
      cq[i] = c[i] * scale;
      sq[i] = s[i] * scale;
    }
    Shape shape = new Shape(b, 1, t, headDim);
    return new NDList(
        OwnedArrays.of(scope, c, shape),
        OwnedArrays.of(scope, s, shape),
        OwnedArrays.of(scope, cq, shape),
        OwnedArrays.of(scope, sq, shape));
  }

  private static long maxOf(long[] positions) {
    long max = 0;
    for (long p : positions) {
      max = Math.max(max, p);
    }
    return max;
  }

  /** Applies RoPE to {@code x [B, H, T, D]} given a (cos, signed sin) pair of tables. */
  NDArray apply(NDArray x, NDList tables) {
    NDList halves = x.split(2, 3);
    NDArray swapped = halves.get(1).concat(halves.get(0), 3); // [x2, x1]
    return x.mul(tables.get(0)).add(swapped.mul(tables.get(1)));
  }

  int headDim() {
    return headDim;
  }

  static DataType positionType() {
    return DataType.INT64;
  }

  @Override
  public void close() {
    cos.close();
    signedSin.close();
    queryScale.close();
  }
}

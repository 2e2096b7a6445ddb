package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;

/** Pre-norm decoder block: {@code h = x + attn(norm1(x)); out = h + mlp(norm2(h))}. */
final class DecoderLayer {
  final RmsNorm inputNorm;
  final Attention attention;
  final RmsNorm postAttentionNorm;
  final Mlp mlp;

  DecoderLayer(RmsNorm inputNorm, Attention attention, RmsNorm postAttentionNorm, Mlp mlp) {
    this.inputNorm = inputNorm;
    this.attention = attention;
    this.postAttentionNorm = postAttentionNorm;
    this.mlp = mlp;
  }

  NDArray forward(NDArray x, ForwardContext ctx) {
    NDArray h = x.add(attention.forward(inputNorm.apply(x), ctx));
    return h.add(mlp.forward(postAttentionNorm.apply(h), ctx));
  }
}

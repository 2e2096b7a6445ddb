package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Grouped-query self-attention with rotary embeddings.
 *
 * <p>Shapes: B batch, T new tokens, S keys, H query heads, K kv heads, G = H/K, D head dim. Query
 * heads are grouped as {@code [B, K, G*T, D]} so each KV head multiplies its G query heads in one
 * matmul without materialising repeated keys (HF {@code repeat_kv}: head h uses kv head h / G).
 */
final class Attention {
  final Projection q;
  final Projection k;
  final Projection v;
  final Projection o;
  private final int layer;
  private final int heads;
  private final int kvHeads;
  private final int headDim;
  private final float scale;
  private final RotaryEmbedding rope;

  Attention(
      int layer,
      ModelConfig config,
      RotaryEmbedding rope,
      Projection q,
      Projection k,
      Projection v,
      Projection o) {
    this.layer = layer;
    this.heads = config.numHeads();
    this.kvHeads = config.numKvHeads();
    this.headDim = config.headDim();
    this.scale = (float) (1.0 / Math.sqrt(headDim));
    this.rope = rope;
    this.q = q;
    this.k = k;
    this.v = v;
    this.o = o;
  }

  NDArray forward(NDArray x, ForwardContext ctx) {
    long b = x.getShape().get(0);
    long t = x.getShape().get(1);
    int g = heads / kvHeads;
    NDList tables = ctx.ropeTables();
    NDArray qh = q.apply(x, ctx).reshape(b, t, heads, headDim).transpose(0, 2, 1, 3); // [B,H,T,D]
    NDArray kh = k.apply(x, ctx).reshape(b, t, kvHeads, headDim).transpose(0, 2, 1, 3); // [B,K,T,D]
    NDArray vh = v.apply(x, ctx).reshape(b, t, kvHeads, headDim).transpose(0, 2, 1, 3); // [B,K,T,D]
    qh = Scalars.mul(rope.apply(qh, tables), scale);
    kh = rope.apply(kh, tables);
    NDArray keys = kh;
    NDArray values = vh;
    KvCache cache = ctx.cache();
    if (cache != null) {
      cache.write(layer, ctx.cacheStart(), kh, vh);
      keys = cache.keys(layer, x.getManager()); // [B,K,S,D]
      values = cache.values(layer, x.getManager());
    }
    long s = keys.getShape().get(2);
    NDArray grouped = qh.reshape(b, kvHeads, g * t, headDim); // [B,K,G*T,D]
    NDArray scores = grouped.matMul(keys.transpose(0, 1, 3, 2)); // [B,K,G*T,S]
    scores = scores.reshape(b, kvHeads, g, t, s).add(ctx.mask()); // + [B,1,1,T,S]
    NDArray probs = scores.softmax(-1).reshape(b, kvHeads, g * t, s);
    NDArray out = probs.matMul(values); // [B,K,G*T,D]
    out = out.reshape(b, heads, t, headDim).transpose(0, 2, 1, 3).reshape(b, t, heads * headDim);
    return o.apply(out, ctx);
  }
}

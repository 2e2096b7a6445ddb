package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;

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
    // queries: rotary tables pre-scaled by 1/sqrt(D), so no per-layer scaling op
    NDArray qh = rope.apply(split(q.apply(x, ctx), b, t, heads), ctx.queryTables()); // [B,H,T,D]
    NDArray kh = rope.apply(split(k.apply(x, ctx), b, t, kvHeads), ctx.ropeTables()); // [B,K,T,D]
    NDArray vh = split(v.apply(x, ctx), b, t, kvHeads); // [B,K,T,D]
    NDArray keys = kh;
    NDArray values = vh;
    KvCache cache = ctx.cache();
    if (cache != null) {
      cache.write(layer, ctx.cacheStart(), kh, vh);
      keys = cache.keys(layer, x.getManager()); // [B,K,S,D]
      values = cache.values(layer, x.getManager());
    }
    NDArray grouped = qh.reshape(b, kvHeads, g * t, headDim); // [B,K,G*T,D]
    NDArray scores = grouped.matMul(keys.transpose(0, 1, 3, 2)); // [B,K,G*T,S]
    NDArray mask = ctx.mask(); // [B,1,G*T,S], or null when every key is visible to every query
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray out = scores.softmax(-1).matMul(values); // [B,K,G*T,D]
    out =
        t == 1
            ? out.reshape(b, 1, heads * headDim) // [B,H,1,D] is already [B,1,H*D] in memory
            : out.reshape(b, heads, t, headDim)
                .transpose(0, 2, 1, 3)
                .reshape(b, t, heads * headDim);
    return o.apply(out, ctx);
  }

  /** {@code [B, T, n*D] -> [B, n, T, D]}; one token needs no transpose (same memory layout). */
  private NDArray split(NDArray y, long b, long t, int n) {
    return t == 1 ? y.reshape(b, n, 1, headDim) : y.reshape(b, t, n, headDim).transpose(0, 2, 1, 3);
  }
}

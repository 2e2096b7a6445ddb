package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * What every layer of one forward pass shares: the batch, rotary tables at the batch's positions,
 * the additive attention mask, the KV cache (if any) and the per-position adapter routing.
 *
 * <p>Legend for shapes: B batch, T new tokens, S keys attended (cache length after this step), K
 * key/value heads, G queries per KV head, D head dim.
 */
public final class ForwardContext {
  private final NDManager manager;
  private final TokenBatch batch;
  private final NDList ropeTables; // key cos, signedSin, query (scaled) cos, signedSin: [B,1,T,D]
  private final NDArray mask; // [B, 1, G*T, S] additive, or null when nothing is masked
  private final KvCache cache; // null in a training forward
  private final int cacheStart; // first cache slot written by this forward
  private final int[] adapterAt; // [B*T] adapter index per input position, -1 = none; may be null
  private final Map<Object, NDArray> memo = new HashMap<>();

  ForwardContext(
      NDManager manager,
      TokenBatch batch,
      NDList ropeTables,
      NDArray mask,
      KvCache cache,
      int cacheStart,
      int[] adapterAt) {
    this.manager = manager;
    this.batch = batch;
    this.ropeTables = ropeTables;
    this.mask = mask;
    this.cache = cache;
    this.cacheStart = cacheStart;
    this.adapterAt = adapterAt;
  }

  /** Manager that owns the activations of this forward. */
  public NDManager manager() {
    return manager;
  }

  public TokenBatch batch() {
    return batch;
  }

  /**
   * Adapter index applied at each input position ({@code [B*T]}, row-major; -1 means none), or null
   * when no position uses an adapter.
   */
  public int[] adapterAt() {
    return adapterAt;
  }

  /**
   * Computes a value once per forward and shares it across layers (e.g. the LoRA gate built from
   * {@link #adapterAt()}). A null result is remembered too.
   */
  public NDArray memo(Object key, Function<ForwardContext, NDArray> compute) {
    if (memo.containsKey(key)) {
      return memo.get(key);
    }
    NDArray v = compute.apply(this);
    if (v != null) {
      // shared by every layer: outlives the per-layer scope it may be created in
      NDScope.unregister(v);
    }
    memo.put(key, v);
    return v;
  }

  /** Rotary tables for keys: cos and signed sin {@code [B, 1, T, D]}. */
  NDList ropeTables() {
    return new NDList(ropeTables.get(0), ropeTables.get(1));
  }

  /** Rotary tables for queries, pre-multiplied by the attention scale {@code 1/sqrt(D)}. */
  NDList queryTables() {
    return new NDList(ropeTables.get(2), ropeTables.get(3));
  }

  /**
   * Additive mask {@code [B, 1, G*T, S]} (query rows grouped per KV head as in {@link Attention}),
   * or null when every query sees every key (one new token per row, no padding).
   */
  NDArray mask() {
    return mask;
  }

  KvCache cache() {
    return cache;
  }

  int cacheStart() {
    return cacheStart;
  }
}

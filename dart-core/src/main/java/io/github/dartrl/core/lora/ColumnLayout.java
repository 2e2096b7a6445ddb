package io.github.dartrl.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.model.ForwardContext;
import io.github.dartrl.core.model.OwnedArrays;
import java.util.List;

/**
 * How the adapters attached to one projection are stacked: adapter {@code adapters[i]} owns columns
 * {@code [offset[i], offset[i] + rank[i])} of the {@code [B, T, R]} low-rank intermediate.
 * Projections with the same adapters share one layout, hence one gate per forward.
 */
final class ColumnLayout {
  final int[] adapters; // global adapter indices, in stacking order
  final int[] offsets;
  final int[] ranks;
  final float[] scales;
  final int totalRank;

  ColumnLayout(List<Integer> adapterIndices, List<LoraConfig> configs) {
    int n = adapterIndices.size();
    adapters = new int[n];
    offsets = new int[n];
    ranks = new int[n];
    scales = new float[n];
    int off = 0;
    for (int i = 0; i < n; i++) {
      int a = adapterIndices.get(i);
      LoraConfig c = configs.get(a);
      adapters[i] = a;
      offsets[i] = off;
      ranks[i] = c.rank();
      scales[i] = (float) c.scale();
      off += c.rank();
    }
    totalRank = off;
  }

  /** Block of a global adapter index, or -1 if this layout does not hold it. */
  int blockOf(int adapter) {
    for (int i = 0; i < adapters.length; i++) {
      if (adapters[i] == adapter) {
        return i;
      }
    }
    return -1;
  }

  /**
   * The per-position gate {@code [B, T, R]}: the active adapter's columns hold its scale, every
   * other column 0 (so inactive adapters get exactly zero gradient there). Returns null when no
   * position of the batch uses an adapter of this layout.
   */
  NDArray gate(ForwardContext ctx) {
    int[] at = ctx.adapterAt();
    int positions = at.length;
    float[] g = new float[positions * totalRank];
    boolean any = false;
    for (int p = 0; p < positions; p++) {
      int block = at[p] < 0 ? -1 : blockOf(at[p]);
      if (block >= 0) {
        any = true;
        int base = p * totalRank + offsets[block];
        java.util.Arrays.fill(g, base, base + ranks[block], scales[block]);
      }
    }
    if (!any) {
      return null;
    }
    // libtorch-owned: the product saves the gate for backward (docs/architecture.md)
    return OwnedArrays.of(
        ctx.manager(), g, new Shape(ctx.batch().batch(), ctx.batch().length(), totalRank));
  }
}

package io.github.dartrl.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;
import io.github.dartrl.core.model.ForwardContext;
import io.github.dartrl.core.model.Projection;
import io.github.dartrl.core.model.ProjectionDelta;

/**
 * The LoRA update of one projection for all its adapters at once:
 *
 * <pre>
 *   delta(x) = ((x A^T) * gate) B^T      A [R, in], B [out, R], R = sum of the adapters' ranks
 * </pre>
 *
 * where {@code gate [B, T, R]} carries, at each position, the scale of the one active adapter on
 * its columns and zeros elsewhere. One code path serves DART (two adapters, routed per token),
 * single LoRA, single-adapter evaluation and any number of adapters.
 */
public final class LoraLinear implements ProjectionDelta {
  private final Projection target;
  private final ColumnLayout layout;
  private final NDArray a; // [R, in]
  private final NDArray b; // [out, R]
  private final LoraAdapters owner;

  LoraLinear(Projection target, ColumnLayout layout, NDArray a, NDArray b, LoraAdapters owner) {
    this.target = target;
    this.layout = layout;
    this.a = a;
    this.b = b;
    this.owner = owner;
  }

  public Projection target() {
    return target;
  }

  /** Stacked A of all adapters on this projection, {@code [R, in]}. */
  public NDArray stackedA() {
    return a;
  }

  /** Stacked B, {@code [out, R]}. */
  public NDArray stackedB() {
    return b;
  }

  ColumnLayout layout() {
    return layout;
  }

  @Override
  public NDArray addTo(NDArray y, NDArray x, ForwardContext ctx) {
    if (!owner.isEnabled() || ctx.adapterAt() == null) {
      return y;
    }
    NDArray gate = ctx.memo(layout, layout::gate);
    if (gate == null) {
      return y;
    }
    NDArray z = Linear.linear(x, a).singletonOrThrow().mul(gate); // [B,T,R]
    // y + z B^T as one op: y is the bias of the product (B = 0 adds exact zeros)
    return Linear.linear(z, b, y).singletonOrThrow(); // [B,T,out]
  }
}

package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** SwiGLU feed-forward: {@code down(silu(gate(x)) * up(x))}. */
final class Mlp {
  final Projection gate;
  final Projection up;
  final Projection down;

  Mlp(Projection gate, Projection up, Projection down) {
    this.gate = gate;
    this.up = up;
    this.down = down;
  }

  NDArray forward(NDArray x, ForwardContext ctx) {
    NDArray g = gate.apply(x, ctx); // [B,T,I]
    NDArray silu = g.mul(Activation.sigmoid(g));
    return down.apply(silu.mul(up.apply(x, ctx)), ctx);
  }
}

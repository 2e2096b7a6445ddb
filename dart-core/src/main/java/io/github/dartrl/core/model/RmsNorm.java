package io.github.dartrl.core.model;

import ai.djl.ndarray.NDArray;

/** RMSNorm as in HF Llama/Qwen2: {@code w * x / sqrt(mean(x^2) + eps)}, computed in fp32. */
final class RmsNorm {
  private final NDArray weight; // [d]
  private final float eps;

  RmsNorm(NDArray weight, double eps) {
    this.weight = weight;
    this.eps = (float) eps;
  }

  NDArray apply(NDArray x) {
    // x / sqrt(ms + eps): a tensor divisor, not pow(-0.5f) (see Scalars)
    NDArray rms = Scalars.add(x.square().mean(new int[] {-1}, true), eps).sqrt();
    return x.div(rms).mul(weight);
  }

  NDArray weight() {
    return weight;
  }
}

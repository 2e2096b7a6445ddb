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
    NDArray inv = x.square().mean(new int[] {-1}, true).add(eps).pow(-0.5f);
    return x.mul(inv).mul(weight);
  }

  NDArray weight() {
    return weight;
  }
}

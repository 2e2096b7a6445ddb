package io.github.dartrl.examples.compare;

import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.PolicyConfig;

/**
 * The four training methods the {@code compare} job puts side by side, each built on the same
 * warm-started backbone.
 */
public enum CompareMethod {
  /** Two rank-8 adapters (reasoning, tool) routed per token on the frozen backbone. */
  DART,
  /** One rank-16 adapter on every token (DART's total rank) on the frozen backbone. */
  LORA,
  /** The whole backbone is trained, at the lower full fine-tuning learning rate. */
  FULL,
  /**
   * Two independent full models, a reasoner and a tool agent, each trained on its own tokens at the
   * full fine-tuning learning rate ({@code RolloutEngine.twoAgent}).
   */
  TWO_AGENT;

  /** Whether backbone weights are trained (and so the lower learning rate applies). */
  public boolean trainsBackbone() {
    return this == FULL || this == TWO_AGENT;
  }

  /** Whether the method needs a second, independent copy of the model (the tool agent). */
  public boolean needsToolAgent() {
    return this == TWO_AGENT;
  }

  /**
   * The policy of the (first) model: DART as configured by {@code dart} (rank, alpha, targets,
   * spans, isolation, seed), a single adapter of twice DART's rank and alpha for LORA, no adapters
   * for FULL and TWO_AGENT.
   */
  public PolicyConfig policy(PolicyConfig dart) {
    return switch (this) {
      case DART -> dart.withMethod(Method.DART);
      case LORA ->
          new PolicyConfig(
              Method.LORA,
              2 * dart.rank(),
              2 * dart.alpha(),
              dart.rsLora(),
              dart.targetModules(),
              dart.spans(),
              dart.isolation(),
              dart.seed());
      case FULL, TWO_AGENT -> dart.withMethod(Method.FULL);
    };
  }

  /**
   * The peak learning rate: {@code adapterLr} for the adapter methods, {@code adapterLr ×
   * fullLrRatio} for the methods that train the backbone (the paper: 1e-5 for LoRA, 1e-6 for full
   * fine-tuning, a ratio of 0.1).
   */
  public double learningRate(double adapterLr, double fullLrRatio) {
    return trainsBackbone() ? adapterLr * fullLrRatio : adapterLr;
  }
}

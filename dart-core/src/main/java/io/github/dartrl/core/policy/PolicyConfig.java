package io.github.dartrl.core.policy;

import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.routing.ToolSpan;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How to build a {@link Policy} on a backbone.
 *
 * @param method DART, LORA, FULL, ... (see {@link Method})
 * @param rank rank of each adapter (DART: per adapter; the paper uses 8, and 16 for single LoRA)
 * @param alpha lora_alpha of each adapter
 * @param rsLora alpha / sqrt(r) instead of alpha / r
 * @param targetModules projections that get adapters
 * @param spans tool-call spans for the router
 * @param isolation SHARED (paper) or STRICT gradients
 * @param seed adapter initialisation seed
 */
public record PolicyConfig(
    Method method,
    int rank,
    double alpha,
    boolean rsLora,
    Set<String> targetModules,
    List<ToolSpan> spans,
    Isolation isolation,
    long seed) {

  public PolicyConfig {
    if (rank <= 0) {
      throw new IllegalArgumentException("rank must be > 0, got " + rank);
    }
    if (!(alpha > 0)) {
      throw new IllegalArgumentException("alpha must be > 0, got " + alpha);
    }
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("at least one tool span is needed");
    }
    targetModules = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(targetModules));
    spans = List.copyOf(spans);
  }

  /**
   * The paper's DART: two rank-8 adapters (alpha 16) on all linear layers, {@code <search>} spans.
   */
  public static PolicyConfig dart() {
    return of(Method.DART, 8);
  }

  /** Single LoRA of rank 16 (alpha 32): DART's total rank. */
  public static PolicyConfig lora() {
    return of(Method.LORA, 16);
  }

  /**
   * A method with adapters of rank r (alpha 2r) on all linear layers and {@code <search>} spans.
   */
  public static PolicyConfig of(Method method, int rank) {
    return new PolicyConfig(
        method,
        rank,
        2.0 * rank,
        false,
        new LinkedHashSet<>(LoraConfig.ALL_LINEAR),
        List.of(ToolSpan.search()),
        Isolation.SHARED,
        42);
  }

  public PolicyConfig withMethod(Method m) {
    return new PolicyConfig(m, rank, alpha, rsLora, targetModules, spans, isolation, seed);
  }

  public PolicyConfig withIsolation(Isolation i) {
    return new PolicyConfig(method, rank, alpha, rsLora, targetModules, spans, i, seed);
  }

  public PolicyConfig withSpans(List<ToolSpan> s) {
    return new PolicyConfig(method, rank, alpha, rsLora, targetModules, s, isolation, seed);
  }

  public PolicyConfig withSeed(long s) {
    return new PolicyConfig(method, rank, alpha, rsLora, targetModules, spans, isolation, s);
  }

  /** The adapters this method needs: "reasoning" and "tool" for DART, "default" for LORA. */
  public List<LoraConfig> adapterConfigs() {
    List<String> names =
        switch (method.adapterCount()) {
          case 2 -> List.of("reasoning", "tool");
          case 1 -> List.of("default");
          default -> List.of();
        };
    List<LoraConfig> out = new ArrayList<>();
    for (String n : names) {
      out.add(new LoraConfig(n, rank, alpha, rsLora, targetModules));
    }
    return out;
  }
}

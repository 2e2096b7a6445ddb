package io.github.dartrl.core.policy;

import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.TokenRole;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a policy is parameterised and which adapter serves which token. One enum, one code path:
 * every method is a list of adapters plus a {@link RoleAdapterMap}.
 *
 * <p>DART's adapters are one for reasoning plus one per tool (or per group of tools sharing one):
 * their number and map come from the {@link PolicyConfig} ({@link PolicyConfig#adapterCount()},
 * {@link PolicyConfig#roleMap()}). {@link #adapterCount()} and {@link #roleMap()} here are those of
 * one tool (two adapters), the paper's case.
 */
public enum Method {
  /**
   * A reasoning adapter (index 0) and one adapter per tool (1, 2, ...; one tool: index 1), routed
   * per token; backbone frozen.
   */
  DART,
  /** One adapter (index 0) on every token; backbone frozen. */
  LORA,
  /** No adapters; the backbone itself is trained. */
  FULL,
  /** The bare backbone (no adapters, nothing trained). */
  NONE,
  /** Evaluation of DART adapters: θr on reasoning positions, bare backbone on tool positions. */
  DART_REASONING_ONLY,
  /**
   * Evaluation of DART adapters: each tool's adapter on its tool's positions, bare backbone
   * elsewhere. (One adapter alone, whichever: {@code Policy.onlyAdapter}.)
   */
  DART_TOOL_ONLY;

  /** Index of the reasoning adapter under DART. */
  public static final int REASONING_ADAPTER = 0;

  /** Index of the tool adapter under DART. */
  public static final int TOOL_ADAPTER = 1;

  /**
   * Whether this method routes a reasoning adapter and tool adapters (DART and its evaluations).
   */
  public boolean isRouted() {
    return this == DART || this == DART_REASONING_ONLY || this == DART_TOOL_ONLY;
  }

  /** Number of adapters this method's policy holds with one tool (see {@link PolicyConfig}). */
  public int adapterCount() {
    return switch (this) {
      case DART, DART_REASONING_ONLY, DART_TOOL_ONLY -> 2;
      case LORA -> 1;
      case FULL, NONE -> 0;
    };
  }

  /** Whether backbone weights are trained. */
  public boolean trainsBackbone() {
    return this == FULL;
  }

  /** The role → adapter map of this method with one tool (see {@link PolicyConfig#roleMap()}). */
  public RoleAdapterMap roleMap() {
    return switch (this) {
      case DART -> RoleAdapterMap.split(REASONING_ADAPTER, TOOL_ADAPTER);
      case LORA -> RoleAdapterMap.uniform(0);
      case FULL, NONE -> RoleAdapterMap.uniform(-1);
      case DART_REASONING_ONLY -> RoleAdapterMap.split(REASONING_ADAPTER, -1);
      case DART_TOOL_ONLY -> {
        Map<TokenRole, Integer> m = new EnumMap<>(TokenRole.class);
        m.put(TokenRole.PROMPT, -1);
        m.put(TokenRole.REASONING, -1);
        m.put(TokenRole.OBSERVATION, -1);
        m.put(TokenRole.TOOL, TOOL_ADAPTER);
        yield RoleAdapterMap.of(m);
      }
    };
  }
}

package io.github.dartrl.core.routing;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * Which adapter (an index into the model's adapter list, or -1 for the bare backbone) serves the
 * positions whose next token has a given role.
 */
public final class RoleAdapterMap {
  private final int[] byRole = new int[TokenRole.values().length];

  private RoleAdapterMap(Map<TokenRole, Integer> map) {
    for (TokenRole r : TokenRole.values()) {
      Integer a = map.get(r);
      if (a == null) {
        throw new IllegalArgumentException("role map has no entry for " + r);
      }
      if (a < -1) {
        throw new IllegalArgumentException("adapter index for " + r + " must be >= -1, got " + a);
      }
      byRole[r.code()] = a;
    }
  }

  /** A map with an entry for every role. */
  public static RoleAdapterMap of(Map<TokenRole, Integer> map) {
    return new RoleAdapterMap(map);
  }

  /** Every role to the same adapter (-1 = none). */
  public static RoleAdapterMap uniform(int adapter) {
    Map<TokenRole, Integer> m = new EnumMap<>(TokenRole.class);
    for (TokenRole r : TokenRole.values()) {
      m.put(r, adapter);
    }
    return new RoleAdapterMap(m);
  }

  /**
   * Tool positions to {@code tool}, every other role (reasoning, prompt, observation) to {@code
   * reasoning}.
   */
  public static RoleAdapterMap split(int reasoning, int tool) {
    Map<TokenRole, Integer> m = new EnumMap<>(TokenRole.class);
    m.put(TokenRole.PROMPT, reasoning);
    m.put(TokenRole.REASONING, reasoning);
    m.put(TokenRole.OBSERVATION, reasoning);
    m.put(TokenRole.TOOL, tool);
    return new RoleAdapterMap(m);
  }

  public int adapterFor(TokenRole role) {
    return byRole[role.code()];
  }

  /** True if every role maps to the same adapter (the model computes alike at every position). */
  public boolean isUniform() {
    return Arrays.stream(byRole).distinct().count() == 1;
  }

  /** Largest adapter index used, or -1. */
  public int maxAdapter() {
    return Arrays.stream(byRole).max().orElse(-1);
  }

  /**
   * Adapter at each input position of a full sequence: position p gets the adapter of token p+1's
   * role; the last position (its successor is unknown and unused by any loss) gets REASONING's.
   *
   * @param roles role code per token, {@code [T]}
   */
  public int[] adapterAt(int[] roles) {
    int[] a = new int[roles.length];
    for (int p = 0; p + 1 < roles.length; p++) {
      a[p] = byRole[roles[p + 1]];
    }
    if (roles.length > 0) {
      a[roles.length - 1] = byRole[TokenRole.REASONING.code()];
    }
    return a;
  }

  /** Serialisable form: role name to adapter index. */
  public Map<TokenRole, Integer> asMap() {
    Map<TokenRole, Integer> m = new EnumMap<>(TokenRole.class);
    for (TokenRole r : TokenRole.values()) {
      m.put(r, byRole[r.code()]);
    }
    return m;
  }

  @Override
  public String toString() {
    return asMap().toString();
  }
}

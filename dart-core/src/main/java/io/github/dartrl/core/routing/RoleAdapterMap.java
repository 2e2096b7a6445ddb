package io.github.dartrl.core.routing;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;

/**
 * Which adapter (an index into the model's adapter list, or -1 for the bare backbone) serves the
 * positions whose next token has a given role: one entry per coarse {@link TokenRole} and,
 * optionally, one per tool span (tool k &rarr; adapter), read from the role codes of {@link
 * TokenRole#toolCode}. A tool without its own entry uses the TOOL entry, so a map built from the
 * four coarse roles routes every tool alike (the two-adapter DART of one tool).
 *
 * <p>This is the one place a role code becomes an adapter index: decoding ({@link RoutedSchedule})
 * and training ({@code SequenceBatch.adapterAt}) both call {@link #adapterForCode}.
 */
public final class RoleAdapterMap {
  private final int[] byRole = new int[TokenRole.values().length];
  private final int[] byTool;

  private RoleAdapterMap(Map<TokenRole, Integer> map, int[] byTool) {
    for (TokenRole r : TokenRole.values()) {
      Integer a = map.get(r);
      if (a == null) {
        throw new IllegalArgumentException("role map has no entry for " + r);
      }
      checkIndex(a, r.toString());
      byRole[r.code()] = a;
    }
    for (int k = 0; k < byTool.length; k++) {
      checkIndex(byTool[k], "tool " + k);
    }
    if (byTool.length > 0 && byTool[0] != byRole[TokenRole.TOOL.code()]) {
      throw new IllegalArgumentException(
          "tool 0 is the TOOL role: its adapter "
              + byTool[0]
              + " must equal TOOL's "
              + byRole[TokenRole.TOOL.code()]);
    }
    this.byTool = byTool.clone();
  }

  private static void checkIndex(int a, String what) {
    if (a < -1) {
      throw new IllegalArgumentException("adapter index for " + what + " must be >= -1, got " + a);
    }
  }

  /** A map with an entry for every coarse role; every tool uses the TOOL entry. */
  public static RoleAdapterMap of(Map<TokenRole, Integer> map) {
    return new RoleAdapterMap(map, new int[0]);
  }

  /**
   * A map with an entry for every coarse role and one per tool span ({@code toolAdapters[k]} for
   * tool k; {@code toolAdapters[0]} must equal the TOOL entry).
   */
  public static RoleAdapterMap of(Map<TokenRole, Integer> map, int[] toolAdapters) {
    return new RoleAdapterMap(map, toolAdapters);
  }

  /** Every role to the same adapter (-1 = none). */
  public static RoleAdapterMap uniform(int adapter) {
    Map<TokenRole, Integer> m = new EnumMap<>(TokenRole.class);
    for (TokenRole r : TokenRole.values()) {
      m.put(r, adapter);
    }
    return new RoleAdapterMap(m, new int[0]);
  }

  /**
   * Tool positions (of every tool) to {@code tool}, every other role (reasoning, prompt,
   * observation) to {@code reasoning}.
   */
  public static RoleAdapterMap split(int reasoning, int tool) {
    return routed(reasoning, new int[] {tool});
  }

  /**
   * DART's map over K tools: tool k's positions to {@code toolAdapters[k]}, every other role to
   * {@code reasoning}.
   */
  public static RoleAdapterMap routed(int reasoning, int[] toolAdapters) {
    if (toolAdapters.length == 0) {
      throw new IllegalArgumentException("at least one tool adapter is needed");
    }
    Map<TokenRole, Integer> m = new EnumMap<>(TokenRole.class);
    m.put(TokenRole.PROMPT, reasoning);
    m.put(TokenRole.REASONING, reasoning);
    m.put(TokenRole.OBSERVATION, reasoning);
    m.put(TokenRole.TOOL, toolAdapters[0]);
    // one tool: no per-tool entries, so the map (and dart.json) is the two-adapter one of old
    return new RoleAdapterMap(m, toolAdapters.length == 1 ? new int[0] : toolAdapters);
  }

  /** Adapter of a coarse role (for TOOL: the first tool's). */
  public int adapterFor(TokenRole role) {
    return byRole[role.code()];
  }

  /** Adapter of the positions whose next token has role code {@code code} (any tool's code). */
  public int adapterForCode(int code) {
    int k = TokenRole.toolIndex(code);
    if (k >= 0) {
      return adapterForTool(k);
    }
    return byRole[TokenRole.ofCode(code).code()];
  }

  /**
   * Adapter of tool span {@code k}'s positions. A map without per-tool entries routes every tool to
   * the TOOL entry; a map with them refuses a tool it does not know (a role array from another set
   * of tools).
   */
  public int adapterForTool(int k) {
    if (byTool.length == 0) {
      return byRole[TokenRole.TOOL.code()];
    }
    if (k >= byTool.length) {
      throw new IllegalArgumentException(
          "role code "
              + TokenRole.toolCode(k)
              + " is tool "
              + k
              + ", but this map routes "
              + byTool.length
              + " tools");
    }
    return byTool[k];
  }

  /** The per-tool entries (tool k &rarr; adapter), empty if every tool uses the TOOL entry. */
  public int[] toolAdapters() {
    return byTool.clone();
  }

  /**
   * This map with every adapter index {@code a} replaced by {@code f(a)} (e.g. -1 to switch off).
   */
  public RoleAdapterMap mapAdapters(IntUnaryOperator f) {
    Map<TokenRole, Integer> m = new EnumMap<>(TokenRole.class);
    for (TokenRole r : TokenRole.values()) {
      m.put(r, f.applyAsInt(byRole[r.code()]));
    }
    return new RoleAdapterMap(m, Arrays.stream(byTool).map(f).toArray());
  }

  /** Only adapter {@code k} active: every position another adapter served runs the backbone. */
  public RoleAdapterMap onlyAdapter(int k) {
    return mapAdapters(a -> a == k ? k : -1);
  }

  /** True if every role maps to the same adapter (the model computes alike at every position). */
  public boolean isUniform() {
    return allIndices().distinct().count() == 1;
  }

  /** Largest adapter index used, or -1. */
  public int maxAdapter() {
    return allIndices().max().orElse(-1);
  }

  private IntStream allIndices() {
    return IntStream.concat(Arrays.stream(byRole), Arrays.stream(byTool));
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
      a[p] = adapterForCode(roles[p + 1]);
    }
    if (roles.length > 0) {
      a[roles.length - 1] = byRole[TokenRole.REASONING.code()];
    }
    return a;
  }

  /** Serialisable form of the coarse entries: role name to adapter index. */
  public Map<TokenRole, Integer> asMap() {
    Map<TokenRole, Integer> m = new EnumMap<>(TokenRole.class);
    for (TokenRole r : TokenRole.values()) {
      m.put(r, byRole[r.code()]);
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RoleAdapterMap m
        && Arrays.equals(byRole, m.byRole)
        && Arrays.equals(byTool, m.byTool);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(byRole) + Arrays.hashCode(byTool);
  }

  @Override
  public String toString() {
    return byTool.length == 0 ? asMap().toString() : asMap() + " tools=" + Arrays.toString(byTool);
  }
}

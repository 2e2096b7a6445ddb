package io.github.dartrl.core.policy;

import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.routing.ToolSpan;
import java.util.ArrayList;
import java.util.HashSet;
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
 * @param toolAdapters for DART: tool span k's adapter group ({@code toolAdapters[k]}; groups
 *     numbered 0, 1, ... with none skipped), so tools may share an adapter; empty = one adapter per
 *     tool. Group g is adapter 1 + g (adapter 0 is reasoning).
 */
public record PolicyConfig(
    Method method,
    int rank,
    double alpha,
    boolean rsLora,
    Set<String> targetModules,
    List<ToolSpan> spans,
    Isolation isolation,
    long seed,
    List<Integer> toolAdapters) {

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
    toolAdapters = List.copyOf(toolAdapters);
    checkGroups(toolAdapters, spans.size());
    if (isIdentity(toolAdapters)) {
      toolAdapters = List.of(); // one adapter per tool has one spelling
    }
  }

  /** One adapter per tool (the usual DART). */
  public PolicyConfig(
      Method method,
      int rank,
      double alpha,
      boolean rsLora,
      Set<String> targetModules,
      List<ToolSpan> spans,
      Isolation isolation,
      long seed) {
    this(method, rank, alpha, rsLora, targetModules, spans, isolation, seed, List.of());
  }

  private static boolean isIdentity(List<Integer> groups) {
    for (int k = 0; k < groups.size(); k++) {
      if (groups.get(k) != k) {
        return false;
      }
    }
    return true;
  }

  private static void checkGroups(List<Integer> groups, int tools) {
    if (groups.isEmpty()) {
      return;
    }
    if (groups.size() != tools) {
      throw new IllegalArgumentException(
          "toolAdapters needs one entry per tool span (" + tools + "), got " + groups);
    }
    int max = groups.stream().mapToInt(Integer::intValue).max().orElse(-1);
    Set<Integer> used = new HashSet<>(groups);
    for (int g = 0; g <= max; g++) {
      if (!used.contains(g)) {
        throw new IllegalArgumentException(
            "toolAdapters must number the groups 0.." + max + " with none skipped, got " + groups);
      }
    }
    if (groups.stream().anyMatch(g -> g < 0)) {
      throw new IllegalArgumentException("toolAdapters entries must be >= 0, got " + groups);
    }
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
    return new PolicyConfig(
        m, rank, alpha, rsLora, targetModules, spans, isolation, seed, toolAdapters);
  }

  public PolicyConfig withIsolation(Isolation i) {
    return new PolicyConfig(
        method, rank, alpha, rsLora, targetModules, spans, i, seed, toolAdapters);
  }

  /** These tool spans, one adapter per tool (any tool grouping is dropped). */
  public PolicyConfig withSpans(List<ToolSpan> s) {
    return new PolicyConfig(
        method, rank, alpha, rsLora, targetModules, s, isolation, seed, List.of());
  }

  /**
   * Adapters of rank {@code r}, with alpha scaled by {@code r / rank} so that the LoRA scale (alpha
   * / r, or alpha / √r with rsLoRA) of the update stays as it was — the knob changes the adapters'
   * capacity, not their step size.
   */
  public PolicyConfig withRank(int r) {
    if (r <= 0) {
      throw new IllegalArgumentException("rank must be > 0, got " + r);
    }
    double a = rsLora ? alpha * Math.sqrt(r / (double) rank) : alpha * r / rank;
    return new PolicyConfig(
        method, r, a, rsLora, targetModules, spans, isolation, seed, toolAdapters);
  }

  /**
   * Adapters on these projections only (a non-empty subset of {@link LoraConfig#ALL_LINEAR}).
   *
   * @throws IllegalArgumentException naming an unknown module, or if {@code modules} is empty
   */
  public PolicyConfig withTargets(Set<String> modules) {
    if (modules.isEmpty()) {
      throw new IllegalArgumentException("the adapters need at least one target module");
    }
    for (String m : modules) {
      if (!LoraConfig.ALL_LINEAR.contains(m)) {
        throw new IllegalArgumentException(
            "unknown target module " + m + "; expected some of " + LoraConfig.ALL_LINEAR);
      }
    }
    return new PolicyConfig(
        method, rank, alpha, rsLora, modules, spans, isolation, seed, toolAdapters);
  }

  public PolicyConfig withSeed(long s) {
    return new PolicyConfig(
        method, rank, alpha, rsLora, targetModules, spans, isolation, s, toolAdapters);
  }

  /** Tools sharing adapters: tool k uses tool-adapter group {@code groups.get(k)}. */
  public PolicyConfig withToolAdapters(List<Integer> groups) {
    return new PolicyConfig(
        method, rank, alpha, rsLora, targetModules, spans, isolation, seed, groups);
  }

  /** Tool span k's adapter group (0-based; adapter index 1 + group under DART). */
  public int toolGroup(int k) {
    return toolAdapters.isEmpty() ? k : toolAdapters.get(k);
  }

  /** Number of tool adapters under DART: distinct groups (one per tool by default). */
  public int toolAdapterCount() {
    return toolAdapters.isEmpty()
        ? spans.size()
        : toolAdapters.stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
  }

  /** Number of adapters the policy holds: DART 1 + tool adapters, LORA 1, FULL/NONE 0. */
  public int adapterCount() {
    return method.isRouted() ? 1 + toolAdapterCount() : method.adapterCount();
  }

  /**
   * The role → adapter map: DART routes reasoning to adapter 0 and tool k to 1 + its group; the
   * single-capability evaluations switch the other adapters off; LORA/FULL/NONE are uniform.
   */
  public RoleAdapterMap roleMap() {
    if (!method.isRouted()) {
      return method.roleMap();
    }
    int[] tools = new int[spans.size()];
    for (int k = 0; k < tools.length; k++) {
      tools[k] = 1 + toolGroup(k);
    }
    RoleAdapterMap dart = RoleAdapterMap.routed(Method.REASONING_ADAPTER, tools);
    return switch (method) {
      case DART_REASONING_ONLY -> dart.onlyAdapter(Method.REASONING_ADAPTER);
      case DART_TOOL_ONLY -> dart.mapAdapters(a -> a == Method.REASONING_ADAPTER ? -1 : a);
      default -> dart;
    };
  }

  /**
   * The adapters this method needs: DART "reasoning" and "tool" for one tool, else "reasoning" and
   * one per tool group named after its first tool's opening tag ({@code <sql>} &rarr; "sql");
   * "default" for LORA.
   */
  public List<LoraConfig> adapterConfigs() {
    List<String> names = new ArrayList<>();
    if (method.isRouted()) {
      names.add("reasoning");
      int groups = toolAdapterCount();
      for (int g = 0; g < groups; g++) {
        names.add(groups == 1 ? "tool" : toolAdapterName(g, names));
      }
    } else if (method.adapterCount() == 1) {
      names.add("default");
    }
    List<LoraConfig> out = new ArrayList<>();
    for (String n : names) {
      out.add(new LoraConfig(n, rank, alpha, rsLora, targetModules));
    }
    return out;
  }

  private String toolAdapterName(int group, List<String> taken) {
    int first = 0;
    while (toolGroup(first) != group) {
      first++;
    }
    String n = spans.get(first).open().replaceAll("[^A-Za-z0-9_.-]", "");
    if (n.isEmpty() || n.equals(".") || n.equals("..") || taken.contains(n)) {
      n = "tool" + (group + 1);
    }
    return n;
  }
}

package io.github.dartrl.core.lora;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One LoRA adapter: {@code h' = W h + scale * B A h} with {@code A [r, in]} (kaiming-uniform,
 * a=sqrt(5), as PEFT) and {@code B [out, r]} (zeros), {@code scale = alpha / r}, or {@code alpha /
 * sqrt(r)} with rsLoRA.
 *
 * @param name adapter name; also its PEFT directory name (e.g. "reasoning", "tool", "default")
 * @param rank r
 * @param alpha lora_alpha
 * @param rsLora use alpha / sqrt(r)
 * @param targetModules HF module names it attaches to, e.g. q_proj, k_proj, ..., down_proj
 */
public record LoraConfig(
    String name, int rank, double alpha, boolean rsLora, Set<String> targetModules) {

  /**
   * Whether {@code name} can name an adapter. It becomes a directory name inside a checkpoint, so
   * it is one plain path segment: no separator, and not {@code .} or {@code ..}.
   */
  public static boolean isValidName(String name) {
    return name != null
        && name.matches("[A-Za-z0-9_.-]+")
        && !name.equals(".")
        && !name.equals("..");
  }

  /** The seven linear projections of a Qwen2/Llama block. */
  public static final List<String> ALL_LINEAR =
      List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

  public LoraConfig {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(
          "adapter name must match [A-Za-z0-9_.-]+ and not be '.' or '..', got " + name);
    }
    if (rank <= 0) {
      throw new IllegalArgumentException("LoRA rank must be > 0, got " + rank);
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("lora_alpha must be > 0, got " + alpha);
    }
    if (targetModules.isEmpty()) {
      throw new IllegalArgumentException("adapter " + name + " targets no module");
    }
    for (String m : targetModules) {
      if (!ALL_LINEAR.contains(m)) {
        throw new IllegalArgumentException(
            "unknown target module "
                + m
                + " for adapter "
                + name
                + "; expected one of "
                + ALL_LINEAR);
      }
    }
    targetModules = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(targetModules));
  }

  /** Rank r, alpha = 2r (the paper's r=8, alpha=16), on all seven projections. */
  public static LoraConfig of(String name, int rank) {
    return new LoraConfig(name, rank, 2.0 * rank, false, new LinkedHashSet<>(ALL_LINEAR));
  }

  /** The multiplier applied to {@code B A h}. */
  public double scale() {
    return rsLora ? alpha / Math.sqrt(rank) : alpha / rank;
  }
}

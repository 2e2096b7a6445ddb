package io.github.dartrl.examples.bench;

import io.github.dartrl.core.model.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The scenarios of {@link MemoryBench}, each with a stable id (e.g. {@code 0.5b-grpo-fp32-ckpt})
 * under which its row is stored, the row its time and log-probs are compared with, and its target.
 * {@code --scenarios} selects by these ids (comma-separated, {@code *} matches any characters).
 */
final class MemoryPlan {
  private static final double GB = 1e9;

  /**
   * One scenario.
   *
   * @param id stable id, the key of its stored row
   * @param shape the shape's display name (and its checkpoint directory's name)
   * @param config the shape
   * @param kind what the child measures
   * @param checkpointing gradient checkpointing on
   * @param storage backbone storage, {@code fp32} or {@code fp16}
   * @param reference id of the row its time and log-probs are compared with (its own for the first
   *     row of a shape's kind)
   * @param limitRatio the target as a multiple of the fp32 weight bytes, or null for none
   * @param limitExtraBytes bytes the target allows on top of the multiple
   */
  record Spec(
      String id,
      String shape,
      ModelConfig config,
      MemoryScenario.Kind kind,
      boolean checkpointing,
      String storage,
      String reference,
      Double limitRatio,
      double limitExtraBytes) {

    String options() {
      return storage + (checkpointing ? " + checkpointing" : "");
    }
  }

  private MemoryPlan() {}

  /** Every scenario of a run: the quick shape's, or the 0.5B shape's and the 1.5B shape's. */
  static List<Spec> all(boolean quick) {
    List<Spec> out = new ArrayList<>();
    if (quick) {
      ModelConfig c = RandomCheckpoint.quick();
      out.add(decode("quick", "quick", c, MemoryScenario.Kind.DECODE_8, "fp32"));
      out.add(grpo("quick", "quick", c, false, "fp32", "quick-grpo-fp32"));
      out.add(grpo("quick", "quick", c, true, "fp16", "quick-grpo-fp32"));
      return out;
    }
    ModelConfig small = RandomCheckpoint.qwen25_05b();
    for (MemoryScenario.Kind k :
        List.of(MemoryScenario.Kind.DECODE_8, MemoryScenario.Kind.PROMPT_512)) {
      for (String storage : List.of("fp32", "fp16")) {
        out.add(decode("0.5b", "Qwen2.5-0.5B", small, k, storage));
      }
    }
    out.add(grpo("0.5b", "Qwen2.5-0.5B", small, false, "fp32", "0.5b-grpo-fp32"));
    out.add(grpo("0.5b", "Qwen2.5-0.5B", small, true, "fp32", "0.5b-grpo-fp32"));
    out.add(grpo("0.5b", "Qwen2.5-0.5B", small, true, "fp16", "0.5b-grpo-fp32"));
    ModelConfig big = RandomCheckpoint.qwen25_15b();
    out.add(grpo("1.5b", "Qwen2.5-1.5B", big, true, "fp32", "1.5b-grpo-fp32-ckpt"));
    out.add(grpo("1.5b", "Qwen2.5-1.5B", big, true, "fp16", "1.5b-grpo-fp32-ckpt"));
    return out;
  }

  /**
   * The scenarios to run: those matching {@code patterns} (ids, {@code *} as a wildcard) if any are
   * given, else every scenario of the 0.5B shape plus, with {@code large}, the 1.5B shape's.
   *
   * @throws IllegalArgumentException for a pattern that matches no scenario, listing the ids
   */
  static List<Spec> select(boolean quick, boolean large, List<String> patterns) {
    List<Spec> all = all(quick);
    if (patterns == null || patterns.isEmpty()) {
      return all.stream().filter(s -> quick || large || !s.id().startsWith("1.5b-")).toList();
    }
    List<Spec> out = new ArrayList<>();
    for (String p : patterns) {
      Pattern re = glob(p.trim());
      List<Spec> hits = all.stream().filter(s -> re.matcher(s.id()).matches()).toList();
      if (hits.isEmpty()) {
        throw new IllegalArgumentException(
            "--scenarios '"
                + p
                + "' matches no scenario; the ids are: "
                + String.join(", ", all.stream().map(Spec::id).toList()));
      }
      hits.stream().filter(s -> !out.contains(s)).forEach(out::add);
    }
    // run in the plan's order, so a reference row comes before the rows compared with it
    return all.stream().filter(out::contains).toList();
  }

  private static Pattern glob(String p) {
    StringBuilder re = new StringBuilder();
    for (String part : p.split("\\*", -1)) {
      if (re.length() > 0 || p.startsWith("*")) {
        re.append(".*");
      }
      re.append(Pattern.quote(part));
    }
    return Pattern.compile(p.equals("*") ? ".*" : re.toString());
  }

  private static Spec decode(
      String prefix, String shape, ModelConfig c, MemoryScenario.Kind kind, String storage) {
    String k = kind == MemoryScenario.Kind.DECODE_8 ? "decode8" : "prompt512";
    boolean target = kind == MemoryScenario.Kind.DECODE_8;
    return new Spec(
        prefix + "-" + k + "-" + storage,
        shape,
        c,
        kind,
        false,
        storage,
        prefix + "-" + k + "-fp32",
        target ? 1.25 : null,
        target ? 0.3 * GB : 0);
  }

  private static Spec grpo(
      String prefix, String shape, ModelConfig c, boolean ckpt, String storage, String reference) {
    return new Spec(
        prefix + "-grpo-" + storage + (ckpt ? "-ckpt" : ""),
        shape,
        c,
        MemoryScenario.Kind.GRPO,
        ckpt,
        storage,
        reference,
        storage.equals("fp16") ? 1.2 : 2.0,
        0);
  }

  /** The scenario as the table names it. */
  static String describe(MemoryScenario.Kind kind, double tokens) {
    return switch (kind) {
      case DECODE_8 -> "load + greedy decode, 8-token prompt, 32 tokens";
      case PROMPT_512 -> "load + 512-token prompt + 32 tokens";
      case GRPO ->
          String.format(Locale.ROOT, "GRPO step, 1 prompt × G = 5, %.0f tokens each", tokens);
    };
  }
}

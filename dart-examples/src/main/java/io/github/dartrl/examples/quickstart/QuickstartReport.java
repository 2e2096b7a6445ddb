package io.github.dartrl.examples.quickstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.harness.MarkdownTable;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.world.DemonstrationMix;
import io.github.dartrl.examples.world.ScriptedDemonstration;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.metrics.MetricsPlot;
import io.github.dartrl.grpo.metrics.StepMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Writes the results folder: {@code summary.md}, {@code summary.json} and {@code plots/}. */
final class QuickstartReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** One PNG of GRPO metrics: file name, title and the metric keys it plots. */
  private record GrpoPlot(String file, String title, List<String> keys) {}

  /** The GRPO plots (from {@code grpo/metrics.jsonl}). */
  private static final List<GrpoPlot> GRPO_PLOTS =
      List.of(
          new GrpoPlot("grpo_reward.png", "GRPO: reward (EM) per step", List.of("reward/mean")),
          new GrpoPlot(
              "grpo_zero_std.png",
              "GRPO: groups with equal rewards",
              List.of("frac_reward_zero_std")),
          new GrpoPlot("grpo_kl.png", "GRPO: KL to the warm start", List.of("actor/kl")),
          new GrpoPlot("grpo_entropy.png", "GRPO: entropy per token", List.of("actor/entropy")),
          new GrpoPlot(
              "grpo_search.png",
              "GRPO: searches per trajectory",
              List.of("env/searches_mean", "env/search_ratio")));

  private QuickstartReport() {}

  static void write(QuickstartResult r) throws IOException {
    Path plots = r.out().resolve("plots");
    Files.createDirectories(plots);
    List<StepMetrics> sft = readMetrics(r.out().resolve("sft"));
    List<StepMetrics> grpo = readMetrics(r.out().resolve("grpo"));
    List<String> written = new ArrayList<>();
    if (!sft.isEmpty()) {
      MetricsPlot.plot(
          plots.resolve("sft_loss.png"), "SFT: loss per trained token", sft, List.of("sft/loss"));
      written.add("sft_loss.png");
    }
    if (!grpo.isEmpty()) {
      for (GrpoPlot p : GRPO_PLOTS) {
        MetricsPlot.plot(plots.resolve(p.file()), p.title(), grpo, p.keys());
        written.add(p.file());
      }
    }
    Files.writeString(
        r.out().resolve("summary.md"), markdown(r, grpo, written), StandardCharsets.UTF_8);
    JSON.writeValue(r.out().resolve("summary.json").toFile(), json(r, grpo));
  }

  private static List<StepMetrics> readMetrics(Path dir) throws IOException {
    Path f = dir.resolve(MetricsLog.FILE_NAME);
    return Files.exists(f) ? MetricsLog.read(f) : List.of();
  }

  static String markdown(QuickstartResult r, List<StepMetrics> grpo, List<String> plots) {
    QuickstartConfig c = r.config();
    StringBuilder sb = new StringBuilder("# dart4j quickstart\n\n");
    sb.append("Synthetic tool-QA world → tiny Qwen2 model → SFT warm-start (full backbone) → ")
        .append(
            c.sql()
                ? "DART (three LoRA adapters: "
                    + adapterNames(c)
                    + ") trained with GRPO and the EM"
                    + " reward, with two tools: search and SQL over the world's tables. "
                : "DART (two LoRA adapters) trained with GRPO and the EM reward. ")
        .append("Greedy EM on the held-out test split (entities disjoint from train).\n\n");
    Map<String, String> env = r.environment();
    sb.append(
        String.format(
            Locale.ROOT,
            "Machine: %s cores (%s), %s, %s; load average %s at the start, %s at the end. "
                + "Total time **%s**.%n%n",
            env.get("cores"),
            env.get("cpu"),
            env.get("java"),
            env.get("os"),
            env.get("load_start"),
            env.get("load_end"),
            Phases.format(r.timings().get("total"))));

    sb.append("## Exact match on the test split\n\n");
    MarkdownTable em =
        MarkdownTable.labelled(
            "data_source", "questions", "warm start (SFT)", "after GRPO", "change");
    Set<String> sources = new LinkedHashSet<>(r.before().exactMatchBySource().keySet());
    sources.addAll(r.after().exactMatchBySource().keySet());
    for (String s : sources) {
      double b = r.before().exactMatchBySource().getOrDefault(s, Double.NaN);
      double a = r.after().exactMatchBySource().getOrDefault(s, Double.NaN);
      em.row(
          s,
          r.before().countBySource().getOrDefault(s, 0),
          f("%.3f", b),
          f("%.3f", a),
          f("%+.3f", a - b));
    }
    double before = r.before().exactMatch();
    double after = r.after().exactMatch();
    em.row(
        "**all**",
        r.before().countBySource().values().stream().mapToInt(Integer::intValue).sum(),
        f("**%.3f**", before),
        f("**%.3f**", after),
        f("**%+.3f**", after - before));
    evalRow(em, "searched at least once", r.before().searchRate(), r.after().searchRate());
    if (c.sql()) {
      evalRow(
          em,
          "queried sql at least once",
          r.toolCallRates().getOrDefault("sql_before", Double.NaN),
          r.toolCallRates().getOrDefault("sql_after", Double.NaN));
    }
    evalRow(em, "mean turns", r.before().meanTurns(), r.after().meanTurns());
    evalRow(em, "truncated", r.before().truncatedRate(), r.after().truncatedRate());
    sb.append(em);
    sb.append('\n');

    sb.append("## Phases\n\n").append(Phases.table(r.timings(), r.cpuSeconds()));
    sb.append('\n');

    sb.append("## Setup\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "- World: seed %d, %d passages, %d words in the vocabulary; questions train/dev/test %d/%d/%d.%n",
            c.world().seed(),
            r.world().passages(),
            r.model().vocabSize(),
            r.world().questions(io.github.dartrl.examples.world.Split.TRAIN),
            r.world().questions(io.github.dartrl.examples.world.Split.DEV),
            r.world().questions(io.github.dartrl.examples.world.Split.TEST)));
    sb.append(
        String.format(
            Locale.ROOT,
            "- Model: Qwen2 architecture, d=%d, %d layers, %d heads / %d KV heads, MLP %d, %,d parameters (random init, seed %d).%n",
            r.model().hiddenSize(),
            r.model().numLayers(),
            r.model().numHeads(),
            r.model().numKvHeads(),
            r.model().intermediateSize(),
            r.model().parameterCount(),
            c.modelSeed()));
    sb.append(String.format(Locale.ROOT, "- Prompt: `%s {question}`.%n", c.instruction()));
    if (c.sql()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "- Tools: %s; adapters: %s (one per capability, routed per token).%n",
              String.join(", ", c.tools()),
              adapterNames(c)));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "- SFT (FULL): %d demonstrations of %.0f tokens on average, epochs: %d, batch %d, lr %.0e (%s), %d steps, %,d tokens in %s (%.0f tokens/s), final loss %.3f.%n",
            r.demonstrations().total(),
            r.demonstrationTokens(),
            c.sft().epochs(),
            c.sft().batchSize(),
            c.sft().learningRate(),
            c.sft().cosineSchedule() ? "cosine" : "constant",
            r.sft().steps(),
            r.sft().tokens(),
            Phases.format(r.sft().seconds()),
            r.sft().tokensPerSecond(),
            r.sft().finalLoss(Math.max(1, r.sft().steps() / 20))));
    sb.append(
        String.format(
            Locale.ROOT,
            "- GRPO (DART, rank %d, alpha %.0f per adapter): %d of %d steps, %d prompts × G=%d, lr %.0e, KL %s %.0e, clip %.2f, temperature %.1f, ≤ %d searches, top-%d passages.%n",
            c.policy().rank(),
            c.policy().alpha(),
            r.grpoSteps(),
            c.grpo().totalSteps(),
            c.grpo().promptsPerStep(),
            c.grpo().groupSize(),
            c.grpo().learningRate(),
            c.grpo().loss().kl(),
            c.grpo().loss().klCoef(),
            c.grpo().loss().clipLow(),
            c.grpo().rollout().temperature(),
            c.grpo().rollout().maxTurns(),
            c.grpo().rollout().topK()));
    if (!grpo.isEmpty()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "- GRPO training reward (mean EM of the sampled completions): %.3f over the first 5 steps, %.3f over the last 5; groups with equal rewards %.2f → %.2f; KL at the end %.4f.%n",
              mean(grpo, "reward/mean", true),
              mean(grpo, "reward/mean", false),
              mean(grpo, "frac_reward_zero_std", true),
              mean(grpo, "frac_reward_zero_std", false),
              mean(grpo, "actor/kl", false)));
    }
    sb.append('\n');

    sb.append("## Demonstrations (deliberately imperfect)\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "Rates: %.0f%% answer without searching, %.0f%% search a partial name, %.0f%% of two-hop skip the second search; each flaw is a habit of a few templates, covering about %.0f%% of their questions. Imitating all of them scores EM %.3f on train.%n%n",
            100 * c.demonstrations().noSearchRate(),
            100 * c.demonstrations().wrongEntityRate(),
            100 * c.demonstrations().skipSecondHopRate(),
            100 * c.demonstrations().habitRate(),
            r.demonstrations().correctRate()));
    sb.append(r.demonstrations().toMarkdown()).append('\n');
    sb.append(r.demonstrations().habitsMarkdown()).append('\n');

    sb.append("## Files\n\n");
    sb.append(
            "`world/` data, `index/` BM25 index, `model-init/` random model, `model-sft/` warm-started model (HF), ")
        .append("`adapters/` DART adapters (PEFT), `sft/` and `grpo/` metrics (`metrics.jsonl`), ")
        .append("`sft/demonstrations.md` example demonstrations, `prompt.txt` the prompt.\n\n")
        .append("Reproduce the evaluation after GRPO from the saved files (same EM):\n\n")
        .append("    scripts/dart4j eval @")
        .append(r.out().resolve(EvalReproduction.ARGS_FILE))
        .append(" --out EVAL_DIR\n\n");
    for (String p : plots) {
      sb.append("![").append(p).append("](plots/").append(p).append(")\n\n");
    }
    return sb.toString();
  }

  private static String adapterNames(QuickstartConfig c) {
    return String.join(", ", c.policy().adapterConfigs().stream().map(a -> a.name()).toList());
  }

  private static void evalRow(MarkdownTable t, String name, double before, double after) {
    t.row("_" + name + "_", "", f("%.2f", before), f("%.2f", after), f("%+.2f", after - before));
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  /** Mean of a metric over the first (or last) five logged steps. */
  static double mean(List<StepMetrics> steps, String key, boolean first) {
    int n = Math.min(5, steps.size());
    List<StepMetrics> part =
        first ? steps.subList(0, n) : steps.subList(steps.size() - n, steps.size());
    return part.stream()
        .mapToDouble(m -> m.value(key))
        .filter(Double::isFinite)
        .average()
        .orElse(Double.NaN);
  }

  private static ObjectNode json(QuickstartResult r, List<StepMetrics> grpo) {
    ObjectNode root = JSON.createObjectNode();
    root.set("environment", JSON.valueToTree(r.environment()));
    root.set("timings_s", JSON.valueToTree(r.timings()));
    root.set("cpu_s", JSON.valueToTree(r.cpuSeconds()));
    root.set("em_before", Evaluation.toJson(r.before(), JSON));
    root.set("em_after", Evaluation.toJson(r.after(), JSON));
    if (r.config().sql()) {
      root.set("tools", JSON.valueToTree(r.config().tools()));
      root.set(
          "adapters",
          JSON.valueToTree(
              r.config().policy().adapterConfigs().stream().map(a -> a.name()).toList()));
      root.set("tool_call_rates", JSON.valueToTree(r.toolCallRates()));
    }
    root.put("grpo_steps", r.grpoSteps());
    root.put("grpo_steps_configured", r.config().grpo().totalSteps());
    root.put("parameters", r.model().parameterCount());
    root.put("vocabulary", r.model().vocabSize());
    ObjectNode sft = root.putObject("sft");
    sft.put("steps", r.sft().steps());
    sft.put("tokens", r.sft().tokens());
    sft.put("seconds", r.sft().seconds());
    sft.put("final_loss", r.sft().finalLoss(Math.max(1, r.sft().steps() / 20)));
    sft.put("demonstrations", r.demonstrations().total());
    sft.put("demonstration_em", r.demonstrations().correctRate());
    if (!grpo.isEmpty()) {
      root.put("grpo_reward_first5", mean(grpo, "reward/mean", true));
      root.put("grpo_reward_last5", mean(grpo, "reward/mean", false));
    }
    return root;
  }

  /** {@code sft/demonstrations.md}: the mix and one decoded example of each flaw and kind. */
  static void writeDemonstrations(
      Path dir, DemonstrationMix mix, List<ScriptedDemonstration> demos, TextTokenizer tok)
      throws IOException {
    Files.createDirectories(dir);
    StringBuilder sb = new StringBuilder("# Scripted demonstrations\n\n");
    sb.append(mix.toMarkdown())
        .append('\n')
        .append(mix.habitsMarkdown())
        .append("\nRoles: `[R]` reasoning, `[T]` tool, `[O]` observation (prompt omitted).\n\n");
    Set<String> shown = new LinkedHashSet<>();
    for (ScriptedDemonstration d : demos) {
      String key = d.question().kind() + " " + d.flaw();
      if (!shown.add(key)) {
        continue;
      }
      sb.append("### ")
          .append(d.question().dataSource())
          .append(", ")
          .append(d.flaw().name().toLowerCase(Locale.ROOT))
          .append(d.correct() ? " (correct)" : " (wrong)")
          .append("\n\n");
      sb.append("Question: ")
          .append(d.question().question())
          .append(" — gold: ")
          .append(d.question().goldenAnswers().get(0))
          .append("\n\n```\n")
          .append(render(d, tok))
          .append("\n```\n\n");
    }
    Files.writeString(dir.resolve("demonstrations.md"), sb.toString(), StandardCharsets.UTF_8);
  }

  /** The response with a role marker wherever the role changes. */
  static String render(ScriptedDemonstration d, TextTokenizer tok) {
    long[] t = d.demonstration().tokens();
    int[] roles = d.demonstration().roles();
    StringBuilder sb = new StringBuilder();
    int prev = TokenRole.PROMPT.code();
    int from = -1;
    for (int i = 0; i <= t.length; i++) {
      int role = i < t.length ? roles[i] : -1;
      if (role != prev) {
        if (from >= 0 && prev != TokenRole.PROMPT.code()) {
          sb.append('[')
              .append(TokenRole.ofCode(prev).name().charAt(0))
              .append("] ")
              .append(tok.decode(t, from, i))
              .append('\n');
        }
        from = i;
        prev = role;
      }
    }
    return sb.toString().strip();
  }
}

package io.github.dartrl.examples.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.examples.harness.MarkdownTable;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.quickstart.Evaluation;
import io.github.dartrl.examples.quickstart.QuickstartConfig;
import io.github.dartrl.grpo.metrics.CsvWriter;
import io.github.dartrl.grpo.train.EvalResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Writes the comparison's results: {@code results.jsonl} and {@code results.csv} (one row per
 * method, seed and test {@code data_source}, plus {@code all}), {@code summary.md} (EM per
 * data_source as mean ± sample std over seeds, the warm-start row, GRPO diagnostics), {@code
 * summary.json} and {@code plots/}.
 */
public final class CompareReport {
  /** The Markdown summary's file name. */
  public static final String SUMMARY = "summary.md";

  /** The per-row results, JSON lines. */
  public static final String RESULTS_JSONL = "results.jsonl";

  /** The per-row results, CSV. */
  public static final String RESULTS_CSV = "results.csv";

  /** The data_source name of the row over the whole test split. */
  public static final String ALL = "all";

  static final List<String> COLUMNS =
      List.of(
          "method",
          "seed",
          "split",
          "data_source",
          "questions",
          "em_before",
          "em_after",
          "steps",
          "train_seconds",
          "eval_seconds",
          "learning_rate",
          "trainable_parameters",
          "em_reasoning_only",
          "em_tool_only",
          "peak_rss_mb");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper JSONL = new ObjectMapper();

  private CompareReport() {}

  /** Writes every file of the report into {@code r.out()}. */
  public static void write(CompareResult r) throws IOException {
    List<List<Object>> rows = rows(r);
    CsvWriter.write(r.out().resolve(RESULTS_CSV), COLUMNS, rows);
    StringBuilder jsonl = new StringBuilder();
    for (List<Object> row : rows) {
      ObjectNode n = JSONL.createObjectNode();
      for (int i = 0; i < COLUMNS.size(); i++) {
        n.set(COLUMNS.get(i), JSONL.valueToTree(row.get(i)));
      }
      jsonl.append(JSONL.writeValueAsString(n)).append('\n');
    }
    byte[] bytes = jsonl.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(r.out().resolve(RESULTS_JSONL), out -> out.write(bytes));
    List<String> plots = ComparePlots.write(r, r.out().resolve("plots"));
    byte[] md = markdown(r, plots).getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(r.out().resolve(SUMMARY), out -> out.write(md));
    byte[] js = JSON.writeValueAsBytes(json(r));
    AtomicFiles.write(r.out().resolve("summary.json"), out -> out.write(js));
  }

  /** One row per run and data_source (and {@code all}), in run order. */
  static List<List<Object>> rows(CompareResult r) {
    List<List<Object>> rows = new ArrayList<>();
    for (RunResult run : r.runs()) {
      for (String s : sources(List.of(run.before(), run.after()))) {
        rows.add(
            List.of(
                run.method().name(),
                run.seed(),
                "test",
                s,
                count(run.after(), s),
                em(run.before(), s),
                em(run.after(), s),
                run.steps(),
                round(run.trainSeconds()),
                round(run.evalSeconds()),
                run.learningRate(),
                run.trainableParameters(),
                isolatedEm(run, QuestionOutcome.REASONING_ONLY, s),
                isolatedEm(run, QuestionOutcome.TOOL_ONLY, s),
                Math.rint(run.peakRssMb())));
      }
    }
    return rows;
  }

  private static double isolatedEm(RunResult run, String variant, String source) {
    EvalResult e = run.isolated().get(variant);
    return e == null ? Double.NaN : em(e, source);
  }

  /** The data_sources of some evaluations, in first-seen order, then {@code all}. */
  static List<String> sources(List<EvalResult> evals) {
    Set<String> s = new LinkedHashSet<>();
    evals.forEach(e -> s.addAll(e.exactMatchBySource().keySet()));
    List<String> out = new ArrayList<>(s);
    out.add(ALL);
    return out;
  }

  static double em(EvalResult e, String source) {
    return source.equals(ALL)
        ? e.exactMatch()
        : e.exactMatchBySource().getOrDefault(source, Double.NaN);
  }

  static int count(EvalResult e, String source) {
    return source.equals(ALL)
        ? e.countBySource().values().stream().mapToInt(Integer::intValue).sum()
        : e.countBySource().getOrDefault(source, 0);
  }

  private static double round(double seconds) {
    return Math.round(seconds * 10) / 10.0;
  }

  static String markdown(CompareResult r, List<String> plots) {
    CompareConfig c = r.config();
    QuickstartConfig b = c.base();
    int n = c.seeds().size();
    List<String> sources = sources(new ArrayList<>(r.warmStart().values()));
    StringBuilder sb = new StringBuilder("# dart4j compare\n\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "DART vs single LoRA vs full fine-tuning vs 2-Agent on the bundled world (seed %d),"
                + " %d seed(s) (%s). %s; every run uses the same GRPO config, %s reward, data order"
                + " and sampling seeds, and **the same number of GRPO steps (%d)**. Greedy EM on"
                + " the first %s test questions (entities disjoint from train).%n%n",
            b.world().seed(),
            n,
            join(c.seeds()),
            c.warmStart() == null
                ? "Per seed, one SFT warm start is shared by every method (each loads its own copy)"
                : "One SFT warm start, loaded from `"
                    + c.warmStart()
                    + "`, is shared by every seed and method (each run loads its own copy), so the"
                    + " seeds vary only GRPO's data order, sampling and adapter initialisation",
            c.reward(),
            r.plan().steps(),
            b.evalLimit() == 0 ? "all" : Integer.toString(b.evalLimit())));
    Map<String, String> env = r.environment();
    sb.append(
        String.format(
            Locale.ROOT,
            "Machine: %s cores (%s), %s; load average %s at the start, %s at the end (timings are"
                + " under that load). Total time **%s**.%n%n",
            env.get("cores"),
            env.get("cpu"),
            env.get("java"),
            env.get("load_start"),
            env.get("load_end"),
            Phases.format(r.timings().getOrDefault("total", Double.NaN))));

    sb.append(
        n > 1
            ? "## Exact match on the test split: mean ± std over " + n + " seeds\n\n"
            : "## Exact match on the test split (one seed: no spread)\n\n");
    MarkdownTable em = MarkdownTable.labelled("method", "steps", "lr", "trainable params");
    em.right(sources.toArray(String[]::new)).right("Δ all vs warm start", "GRPO time per run");
    List<Object> warm = new ArrayList<>(List.of("warm start (SFT)", "–", "–", "–"));
    for (String s : sources) {
      warm.add(spread(new ArrayList<>(r.warmStart().values()), e -> em(e, s)).format());
    }
    warm.addAll(List.of("–", "–"));
    em.row(warm);
    for (CompareMethod m : c.methods()) {
      List<RunResult> runs = r.runsOf(m);
      if (runs.isEmpty()) {
        continue;
      }
      List<Object> row = new ArrayList<>();
      row.add(m);
      row.add(stepsOf(runs));
      row.add(String.format(Locale.ROOT, "%.0e", runs.get(0).learningRate()));
      row.add(String.format(Locale.ROOT, "%,d", runs.get(0).trainableParameters()));
      for (String s : sources) {
        row.add(spread(runs, x -> em(x.after(), s)).format());
      }
      row.add(signed(spread(runs, x -> x.after().exactMatch() - x.before().exactMatch())));
      row.add(Phases.format(spread(runs, RunResult::trainSeconds).mean()));
      em.row(row);
    }
    sb.append(em);
    sb.append('\n');
    sb.append(
        n > 1
            ? "Spread: the sample standard deviation over seeds (n − 1 in the denominator); the"
                + " per-seed values are below and in `results.csv`. "
            : "");
    sb.append(
        String.format(
            Locale.ROOT,
            "Learning rates: adapters %.0e; FULL and TWO_AGENT × %.2g (the paper's ratio: 1e-6"
                + " for full fine-tuning vs 1e-5 for LoRA).%n%n",
            b.grpo().learningRate(),
            c.fullLrRatio()));

    sb.append("## EM (all test questions) per seed\n\n");
    MarkdownTable perSeed = MarkdownTable.labelled("method");
    c.seeds().forEach(s -> perSeed.right("seed " + s));
    List<Object> warmRow = new ArrayList<>(List.of("warm start (SFT)"));
    c.seeds().forEach(s -> warmRow.add(f3(r.warmStart().get(s).exactMatch())));
    perSeed.row(warmRow);
    for (CompareMethod m : c.methods()) {
      List<Object> row = new ArrayList<>(List.of(m));
      for (long s : c.seeds()) {
        row.add(
            r.runsOf(m).stream()
                .filter(x -> x.seed() == s)
                .findFirst()
                .map(x -> f3(x.after().exactMatch()))
                .orElse("–"));
      }
      perSeed.row(row);
    }
    sb.append(perSeed).append('\n');

    sb.append("## GRPO diagnostics (mean over seeds)\n\n");
    MarkdownTable diag =
        MarkdownTable.labelled(
            "method",
            "reward, first 5 steps",
            "reward, last 5",
            "groups with equal rewards (frac_reward_zero_std)",
            "KL, last 5",
            "clip fraction",
            "grad norm",
            "searches per trajectory, last 5",
            "search rate after (eval)");
    for (CompareMethod m : c.methods()) {
      List<RunResult> runs = r.runsOf(m);
      if (runs.isEmpty()) {
        continue;
      }
      diag.row(
          m,
          f3(mean(runs, x -> x.window("reward/mean", 5, true))),
          f3(mean(runs, x -> x.window("reward/mean", 5, false))),
          String.format(Locale.ROOT, "%.2f", mean(runs, x -> x.mean("frac_reward_zero_std"))),
          String.format(Locale.ROOT, "%.4f", mean(runs, x -> x.window("actor/kl", 5, false))),
          f3(mean(runs, x -> x.mean("actor/pg_clipfrac"))),
          f3(mean(runs, x -> x.mean("actor/grad_norm"))),
          String.format(
              Locale.ROOT, "%.2f", mean(runs, x -> x.window("env/searches_mean", 5, false))),
          String.format(Locale.ROOT, "%.2f", mean(runs, x -> x.after().searchRate())));
    }
    sb.append(diag);
    sb.append(
        "\nFor TWO_AGENT the actor columns are the reasoner's; the tool agent's are"
            + " `tool_actor/*` in its `metrics.jsonl`.\n\n");

    sb.append("## Setup\n\n");
    sb.append("- Step count: ").append(r.plan().explanation()).append(".\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "- GRPO: %d prompts × G=%d per step, warm-up %.2f, KL %s %.0e, clip %.2f,"
                + " temperature %.1f, ≤ %d searches, top-%d passages, %d tokens per turn.%n",
            b.grpo().promptsPerStep(),
            b.grpo().groupSize(),
            b.grpo().warmupRatio(),
            b.grpo().loss().kl(),
            b.grpo().loss().klCoef(),
            b.grpo().loss().clipLow(),
            b.grpo().rollout().temperature(),
            b.grpo().rollout().maxTurns(),
            b.grpo().rollout().topK(),
            b.grpo().rollout().maxTurnTokens()));
    sb.append(
        String.format(
            Locale.ROOT,
            "- Methods: DART = two adapters of rank %d (alpha %.0f), LORA = one of rank %d (alpha"
                + " %.0f), FULL = the whole backbone, TWO_AGENT = two full models (reasoner and"
                + " tool agent, each trained on its own tokens).%n",
            b.policy().rank(),
            b.policy().alpha(),
            2 * b.policy().rank(),
            2 * b.policy().alpha()));
    sb.append(
        String.format(
            Locale.ROOT,
            "- Warm start per seed: %s SFT epochs on the scripted demonstrations; final SFT loss"
                + " %s.%n",
            b.sft().epochs(),
            join(
                r.sftFinalLoss().values().stream()
                    .map(v -> String.format(Locale.ROOT, "%.3f", v))
                    .toList())));
    sb.append('\n');

    sb.append("## Phases\n\n").append(Phases.table(r.timings(), null));
    sb.append('\n');

    sb.append("## Files\n\n");
    sb.append(
        "`results.jsonl` / `results.csv` (one row per method, seed and data_source), `seed-S/`"
            + " (world, index, warm-started `model-sft/`), `seed-S/METHOD/grpo/` (the trainer's"
            + " `metrics.jsonl`, plots, last checkpoint), `seed-S/METHOD/adapters/` (DART, LORA;"
            + " PEFT) or `model/` (FULL) or `reasoner/` + `tool/` (TWO_AGENT; HF directories).\n\n");
    for (String p : plots) {
      sb.append("![").append(p).append("](plots/").append(p).append(")\n\n");
    }
    return sb.toString();
  }

  private static String stepsOf(List<RunResult> runs) {
    int min = runs.stream().mapToInt(RunResult::steps).min().orElse(0);
    int max = runs.stream().mapToInt(RunResult::steps).max().orElse(0);
    return min == max ? Integer.toString(min) : min + "–" + max;
  }

  private static <T> SeedSpread spread(List<T> xs, ToDoubleFunction<T> f) {
    return SeedSpread.of(xs.stream().mapToDouble(f).toArray());
  }

  private static <T> double mean(List<T> xs, ToDoubleFunction<T> f) {
    return xs.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
  }

  private static String signed(SeedSpread s) {
    return s.n() > 1
        ? String.format(Locale.ROOT, "%+.3f ± %.3f", s.mean(), s.std())
        : String.format(Locale.ROOT, "%+.3f", s.mean());
  }

  private static String join(List<?> xs) {
    return String.join(", ", xs.stream().map(String::valueOf).toList());
  }

  private static ObjectNode json(CompareResult r) {
    ObjectNode root = JSON.createObjectNode();
    root.set("environment", JSON.valueToTree(r.environment()));
    root.set("timings_s", JSON.valueToTree(r.timings()));
    root.put("steps", r.plan().steps());
    root.put("steps_requested", r.plan().requested());
    root.put("step_plan", r.plan().explanation());
    root.set("seeds", JSON.valueToTree(r.config().seeds()));
    root.put("reward", r.config().reward());
    root.put("full_lr_ratio", r.config().fullLrRatio());
    ObjectNode warm = root.putObject("warm_start");
    r.warmStart().forEach((s, e) -> warm.set(Long.toString(s), Evaluation.toJson(e, JSON)));
    ArrayNode runs = root.putArray("runs");
    for (RunResult x : r.runs()) {
      ObjectNode n = runs.addObject();
      n.put("method", x.method().name());
      n.put("seed", x.seed());
      n.put("steps", x.steps());
      n.put("learning_rate", x.learningRate());
      n.put("trainable_parameters", x.trainableParameters());
      n.put("train_seconds", x.trainSeconds());
      n.put("eval_seconds", x.evalSeconds());
      n.set("em_before", Evaluation.toJson(x.before(), JSON));
      n.set("em_after", Evaluation.toJson(x.after(), JSON));
      n.put("run_dir", r.out().relativize(x.runDir()).toString());
      n.put("weights", r.out().relativize(x.weightsDir()).toString());
      Map<String, Double> diag = new LinkedHashMap<>();
      diag.put("reward_first5", x.window("reward/mean", 5, true));
      diag.put("reward_last5", x.window("reward/mean", 5, false));
      diag.put("frac_reward_zero_std", x.mean("frac_reward_zero_std"));
      diag.put("kl_last5", x.window("actor/kl", 5, false));
      diag.put("clipfrac", x.mean("actor/pg_clipfrac"));
      diag.put("grad_norm", x.mean("actor/grad_norm"));
      ObjectNode d = n.putObject("diagnostics");
      diag.forEach((k, v) -> d.put(k, Double.isFinite(v) ? v : null));
    }
    return root;
  }

  private static String f3(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}

package io.github.dartrl.examples.interference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.examples.harness.Machine;
import io.github.dartrl.examples.harness.MarkdownTable;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.interference.InterferenceResult.AttributionOutcome;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.metrics.MetricsPlot;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.leas.attribution.AttributionResult;
import io.github.dartrl.leas.attribution.Coefficient;
import io.github.dartrl.leas.attribution.CoefficientStats;
import io.github.dartrl.leas.attribution.SamplingStreams;
import io.github.dartrl.leas.attribution.VariantDiagnostics;
import io.github.dartrl.leas.report.AttributionReport;
import io.github.dartrl.leas.variant.CeaModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the top-level results of the interference job: {@code summary.md} (the per-variant EM
 * table, the attribution's λ statistics and the probe's angles, tied together), {@code
 * summary.json} and {@code plots/} (the three variants' GRPO curves on shared axes, the SFT loss).
 * The attribution and probe folders have their own full reports.
 */
final class InterferenceReport {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Plot file → title and the per-variant metric drawn for each of the three variants. */
  private static final List<String[]> PLOTS =
      List.of(
          new String[] {"grpo_reward.png", "GRPO: reward (EM) per step", "reward/mean"},
          new String[] {
            "grpo_zero_std.png", "GRPO: groups with equal rewards", "frac_reward_zero_std"
          },
          new String[] {"grpo_kl.png", "GRPO: KL to Base", "actor/kl"},
          new String[] {"grpo_search.png", "GRPO: searches per trajectory", "env/searches_mean"});

  private InterferenceReport() {}

  static void write(InterferenceResult r) throws IOException {
    Path plots = r.out().resolve("plots");
    Files.createDirectories(plots);
    List<String> written = new ArrayList<>();
    for (String[] p : PLOTS) {
      MetricsPlot.plot(plots.resolve(p[0]), p[1], merged(r.variants(), p[2]), keys(r, p[2]));
      written.add(p[0]);
    }
    Path sft = r.out().resolve("sft").resolve(MetricsLog.FILE_NAME);
    if (Files.exists(sft)) {
      MetricsPlot.plot(
          plots.resolve("sft_loss.png"),
          "SFT: loss per trained token",
          MetricsLog.read(sft),
          List.of("sft/loss"));
      written.add("sft_loss.png");
    }
    String md = markdown(r, written);
    AtomicFiles.write(
        r.out().resolve("summary.md"), out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
    ObjectNode json = InterferenceSummaryJson.of(r, JSON);
    AtomicFiles.write(r.out().resolve("summary.json"), out -> JSON.writeValue(out, json));
  }

  /** One StepMetrics per step with {@code "<variant> <metric>"} for each variant. */
  private static List<StepMetrics> merged(List<VariantRun> runs, String metric) {
    Map<Integer, Map<String, Double>> bySteps = new TreeMap<>();
    for (VariantRun v : runs) {
      for (StepMetrics m : v.history()) {
        bySteps
            .computeIfAbsent(m.step(), k -> new LinkedHashMap<>())
            .put(v.name() + " " + metric, m.value(metric));
      }
    }
    List<StepMetrics> out = new ArrayList<>();
    bySteps.forEach((s, values) -> out.add(new StepMetrics(s, values)));
    return out;
  }

  private static List<String> keys(InterferenceResult r, String metric) {
    return r.variants().stream().map(v -> v.name() + " " + metric).toList();
  }

  static String markdown(InterferenceResult r, List<String> plots) {
    InterferenceConfig c = r.config();
    GrpoConfig g = c.grpo();
    ModelConfig model = r.warm().modelConfig();
    StringBuilder b =
        new StringBuilder("# dart4j interference: LEAS / CEA on the bundled world\n\n");
    b.append(
        "Base = the SFT warm-started tiny model. Reas, Tool and Unified = GRPO from Base with one"
            + " LoRA adapter each, the loss on REASONING tokens only, TOOL tokens only, or all"
            + " sampled tokens; identical otherwise. H_Tool = Base reasons, Tool writes the"
            + " queries; H_Reas = Reas reasons, Base writes the queries (paper v2 §4.2).\n\n");
    Map<String, String> env = Machine.describe();
    b.append(
        f(
            "Machine: %s cores (%s), %s; load average at the end %s. Total time **%s**.%n%n",
            env.get("cores"),
            env.get("cpu"),
            env.get("java"),
            r.loadAverage(),
            Phases.format(r.timings().get("total"))));

    b.append("## Setup\n\n");
    b.append(
        f(
            "- World: %s, seed %d; %d test questions (attribution on a seeded sample of them).%n",
            c.warmStart().world().aliasIndex()
                ? "conflict (alias index on: people searched by registry aliases, docs/world.md)"
                : "default (the negative control)",
            c.warmStart().world().seed(),
            r.warm().world().questions(io.github.dartrl.examples.world.Split.TEST).size()));
    b.append(
        f(
            "- Base: Qwen2 architecture, d=%d, %d layers, %,d parameters; %s; last logged SFT"
                + " loss %.3f; prompt `%s {question}`.%n",
            model.hiddenSize(),
            model.numLayers(),
            model.parameterCount(),
            r.reusedWarmStart() == null
                ? f(
                    "SFT %d epochs, batch %d, lr %.0e",
                    c.warmStart().sft().epochs(),
                    c.warmStart().sft().batchSize(),
                    c.warmStart().sft().learningRate())
                : "warm start reused from `" + r.reusedWarmStart() + "`",
            lastSftLoss(r),
            c.warmStart().instruction()));
    int steps = r.variants().isEmpty() ? 0 : r.variants().get(0).steps();
    b.append(
        f(
            "- GRPO per variant: LoRA rank %d (alpha %.0f) on %s, %d of %d steps, %d prompts × G=%d,"
                + " lr %.0e, KL %s %.0e, clip %.2f, temperature %.1f, ≤ %d searches, top-%d, seed"
                + " %d.%n",
            c.variantPolicy().rank(),
            c.variantPolicy().alpha(),
            c.variantPolicy().targetModules().containsAll(LoraConfig.ALL_LINEAR)
                ? "all projections"
                : String.join(", ", c.variantPolicy().targetModules()),
            steps,
            g.totalSteps(),
            g.promptsPerStep(),
            g.groupSize(),
            g.learningRate(),
            g.loss().kl(),
            g.loss().klCoef(),
            g.loss().clipLow(),
            g.rollout().temperature(),
            g.rollout().maxTurns(),
            g.rollout().topK(),
            g.seed()));
    AttributionOutcome a = r.attribution();
    b.append(
        f(
            "- Attribution: %d of %d requested test questions sampled, N = %d per question and"
                + " variant, hybrids %s, temperature %.1f, %s.%n",
            a.run() == null ? 0 : a.run().counts().size(),
            r.questionsRequested(),
            c.samples(),
            c.hybridMode(),
            g.rollout().temperature(),
            a.run() == null ? "no sampling" : AttributionReport.streams(a.run().streams())));
    b.append(
        f(
            "- Probe: %d test questions, G = %d rollouts each, targets %s.%n%n",
            r.probeQuestions(),
            c.probeGroupSize(),
            r.probes().stream().map(p -> p.target().label()).toList()));

    b.append("## Variants\n\n");
    b.append(
        "Greedy EM: one greedy answer per attribution question. Sampled EM and the columns after"
            + " it: over the attribution's N samples per question (temperature as above). GRPO"
            + " columns: training reward (EM of the sampled completions) over the first and last"
            + " 5 steps, mean share of groups whose G rewards were all equal (no gradient), KL to"
            + " Base at the end.\n\n");
    MarkdownTable variants =
        new MarkdownTable()
            .left("variant", "loss on")
            .right("greedy EM", "sampled EM", "answered", "searches / sample", "tool-token share")
            .left("GRPO reward first → last")
            .right("frac_reward_zero_std", "KL (last)");
    for (CeaModel m : CeaModel.values()) {
      VariantRun v = variant(r, m);
      EvalResult greedy = m == CeaModel.BASE ? r.base() : v == null ? null : v.greedy();
      VariantDiagnostics d = a.run() == null ? null : a.run().diagnostics().get(m);
      variants.row(
          m.label(),
          lossOn(m),
          greedy == null ? "–" : f("%.3f", greedy.exactMatch()),
          d == null ? "–" : f("%.3f", d.exactMatch()),
          d == null ? "–" : pct(d.answered()),
          d == null ? "–" : f("%.2f", d.searchesPerSample()),
          d == null ? "–" : pct(d.toolTokenShare()),
          v == null
              ? "–"
              : f(
                  "%.3f → %.3f",
                  v.history().stream()
                      .limit(5)
                      .mapToDouble(s -> s.value("reward/mean"))
                      .average()
                      .orElse(Double.NaN),
                  v.lastMean("reward/mean", 5)),
          v == null ? "–" : f("%.2f", v.mean("frac_reward_zero_std")),
          v == null ? "–" : f("%.4f", v.lastMean("actor/kl", 1)));
    }
    b.append(variants);
    b.append('\n');

    b.append("## Attribution (CEA)\n\n");
    if (!a.ok()) {
      b.append("No attribution: ").append(a.error()).append("\n\n");
    } else {
      AttributionResult ar = a.result();
      CoefficientStats l23 = ar.lambda23();
      b.append(
          f(
              "%d questions sampled, %d kept (some variant correct at least once), %d filtered."
                  + " **λ23 < 0 (interference) on %s of the kept questions, 95%% CI [%s, %s]**"
                  + " (percentile bootstrap over questions); λ23 > 0 (synergy) on %s, = 0 on %d"
                  + " questions. Median λ23 %.2f, mean %.2f.%n%n",
              ar.totalQuestions(),
              ar.keptQuestions(),
              ar.filteredQuestions(),
              pct(l23.negativeFraction().estimate()),
              pct(l23.negativeFraction().lower()),
              pct(l23.negativeFraction().upper()),
              pct(l23.positiveFraction()),
              l23.zero(),
              l23.summary().median(),
              l23.summary().mean()));
      MarkdownTable coefficients =
          MarkdownTable.labelled("coefficient", "λ < 0", "λ = 0", "λ > 0")
              .left("fraction λ < 0 [95% CI]")
              .right("median");
      for (Coefficient co : Coefficient.values()) {
        CoefficientStats s = ar.coefficients().get(co);
        coefficients.row(
            co.label(),
            s.negative(),
            s.zero(),
            s.positive(),
            f(
                "%s [%s, %s]",
                pct(s.negativeFraction().estimate()),
                pct(s.negativeFraction().lower()),
                pct(s.negativeFraction().upper())),
            f("%.2f", s.summary().median()));
      }
      b.append(coefficients);
      b.append(AttributionReport.nullMarkdown(ar));
      if (a.run() != null && a.run().streams() == SamplingStreams.COMMON) {
        b.append(AttributionReport.COMMON_STREAMS_WARNING);
      }
      b.append(AttributionReport.signMarkdown(ar));
      b.append(
          "\n![λ23 per question](attribution/lambda23.png)\n\nFull report:"
              + " [attribution/attribution_summary.md](attribution/attribution_summary.md);"
              + " every question's counts and λ: `attribution/attribution.csv`.\n\n");
    }

    b.append(ProbeAnglesSection.markdown(r.probes()));
    b.append("## Phases\n\n").append(Phases.table(r.timings(), r.cpuSeconds()));
    b.append("\n## Files\n\n");
    b.append(
        "- `model-sft/` Base; `variants/{reas,tool,unified}/` the adapters (PEFT + dart.json);"
            + " `grpo-{unified,reas,tool}/metrics.jsonl` every GRPO step; `sft/metrics.jsonl`.\n");
    b.append(
        "- `attribution/`: counts.jsonl, attribution.json/.csv, lambda23/12/13.png,"
            + " lambda23_null.csv, attribution_summary.md.\n");
    b.append(
        "- `probe/<target>/`: probe.json, probe_*.csv, angles.png, angles_by_layer.png,"
            + " probe_summary.md; batch_angles.jsonl/.csv, batch_summary.json/.md,"
            + " batch_angles.png.\n");
    b.append("- `plots/`: ").append(String.join(", ", plots)).append(".\n");
    return b.toString();
  }

  /** The last logged SFT loss (a mean over the last logging window), NaN without metrics. */
  static double lastSftLoss(InterferenceResult r) {
    Path f = r.out().resolve("sft").resolve(MetricsLog.FILE_NAME);
    try {
      if (!Files.exists(f)) {
        return Double.NaN;
      }
      List<StepMetrics> m = MetricsLog.read(f);
      return m.isEmpty() ? Double.NaN : m.get(m.size() - 1).value("sft/loss");
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  static VariantRun variant(InterferenceResult r, CeaModel m) {
    return r.variants().stream().filter(v -> v.name().equals(m.label())).findFirst().orElse(null);
  }

  private static String lossOn(CeaModel m) {
    return switch (m) {
      case BASE -> "(SFT only)";
      case REAS -> "REASONING";
      case TOOL -> "TOOL";
      case UNIFIED -> "all";
      case H_TOOL -> "Base reasons, Tool queries";
      case H_REAS -> "Reas reasons, Base queries";
    };
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String pct(double v) {
    return Double.isNaN(v) ? "–" : f("%.1f%%", 100 * v);
  }
}

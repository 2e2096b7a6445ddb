package io.github.dartrl.examples.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.examples.harness.MarkdownTable;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.grpo.metrics.Charting;
import io.github.dartrl.leas.stats.PercentileBootstrap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The report of a compare <em>study</em>: every {@code compare} run found under a directory (one
 * per seed and method, as {@code scripts/compare-study.sh} lays them out, or one run of several),
 * pooled: EM per data_source with 95% CIs (paired bootstrap over questions, pooled over seeds) and
 * the seed spread, DART against every other method (paired bootstrap of the difference, Wilcoxon
 * signed-rank), DART's isolated capabilities, training time and peak memory per method, and plots
 * (reward curves with seed bands, EM with CI bars). See {@link StudyStats} for the statistics.
 */
public final class CompareStudy {
  /** The Markdown report's file name. */
  public static final String SUMMARY = "study.md";

  /** The JSON report's file name. */
  public static final String JSON_FILE = "study.json";

  /** Bootstrap resamples. */
  static final int RESAMPLES = 2000;

  /** Bootstrap seed (the same for every arm: a paired bootstrap). */
  static final long BOOTSTRAP_SEED = 20260301L;

  private static final int MAX_DEPTH = 6;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CompareStudy() {}

  /**
   * One run's cost, from its {@code results.jsonl} row over the whole test split.
   *
   * @param method the method
   * @param seed the seed
   * @param steps GRPO steps run
   * @param trainSeconds wall seconds of GRPO
   * @param peakRssMb the process's peak RSS (NaN where unknown)
   * @param trainableParameters parameters trained
   */
  record Cost(
      String method,
      long seed,
      int steps,
      double trainSeconds,
      double peakRssMb,
      long trainableParameters) {}

  /**
   * Reads every run under {@code in} and writes the report into {@code out} (created; must be empty
   * if it exists).
   *
   * @return the statistics
   * @throws IllegalArgumentException when {@code in} holds no {@value QuestionOutcome#FILE}
   */
  public static StudyStats.Result run(Path in, Path out) {
    try {
      // only finished runs: a run killed midway has no summary and may hold part of an evaluation
      List<Path> outcomeFiles =
          find(in, QuestionOutcome.FILE).stream()
              .filter(f -> Files.exists(f.resolveSibling(CompareReport.SUMMARY)))
              .toList();
      if (outcomeFiles.isEmpty()) {
        throw new IllegalArgumentException(
            "no " + QuestionOutcome.FILE + " under " + in + ": run compare first");
      }
      List<QuestionOutcome> outcomes = new ArrayList<>();
      for (Path f : outcomeFiles) {
        outcomes.addAll(QuestionOutcome.read(f));
      }
      List<Cost> costs = new ArrayList<>();
      for (Path f : find(in, CompareReport.RESULTS_JSONL)) {
        if (!Files.exists(f.resolveSibling(CompareReport.SUMMARY))) {
          continue;
        }
        costs.addAll(costs(f));
      }
      StudyStats.Result r =
          StudyStats.analyse(outcomes, CompareMethod.DART.name(), RESAMPLES, BOOTSTRAP_SEED);
      OutputDir.createNew(out, "--out");
      List<String> plots = new ArrayList<>();
      if (Charting.available()) {
        plots.addAll(StudyPlots.write(r, rewardCurves(in), out.resolve("plots")));
      }
      Map<String, Map<Long, Map<Integer, Double>>> curves = rewardCurves(in);
      byte[] md =
          (markdown(r, costs, outcomeFiles.size(), plots) + flattening(curves))
              .getBytes(StandardCharsets.UTF_8);
      AtomicFiles.write(out.resolve(SUMMARY), o -> o.write(md));
      byte[] js = JSON.writeValueAsBytes(json(r, costs));
      AtomicFiles.write(out.resolve(JSON_FILE), o -> o.write(js));
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Path> find(Path in, String name) throws IOException {
    try (Stream<Path> s = Files.walk(in, MAX_DEPTH)) {
      return s.filter(p -> p.getFileName().toString().equals(name)).sorted().toList();
    }
  }

  private static List<Cost> costs(Path resultsJsonl) throws IOException {
    List<Cost> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(resultsJsonl, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(lines.get(i));
      if (!CompareReport.ALL.equals(n.path("data_source").asText())) {
        continue;
      }
      out.add(
          new Cost(
              n.path("method").asText(),
              n.path("seed").asLong(),
              n.path("steps").asInt(),
              n.path("train_seconds").asDouble(Double.NaN),
              n.has("peak_rss_mb") ? n.get("peak_rss_mb").asDouble(Double.NaN) : Double.NaN,
              n.path("trainable_parameters").asLong()));
    }
    return out;
  }

  /**
   * Reward per step of every run found: method → seed → values by step, from the runs' {@code
   * seed-S/METHOD/grpo/metrics.jsonl}.
   */
  static Map<String, Map<Long, Map<Integer, Double>>> rewardCurves(Path in) throws IOException {
    Map<String, Map<Long, Map<Integer, Double>>> curves = new LinkedHashMap<>();
    for (Path f : find(in, "metrics.jsonl")) {
      Path grpo = f.getParent();
      if (grpo == null || !grpo.getFileName().toString().equals("grpo")) {
        continue;
      }
      Path methodDir = grpo.getParent();
      Path seedDir = methodDir == null ? null : methodDir.getParent();
      if (seedDir == null
          || !seedDir.getFileName().toString().startsWith("seed-")
          || seedDir.getParent() == null
          || !Files.exists(seedDir.getParent().resolve(CompareReport.SUMMARY))) {
        continue; // not a finished compare run's trainer directory
      }
      long seed = Long.parseLong(seedDir.getFileName().toString().substring("seed-".length()));
      Map<Integer, Double> byStep = new java.util.TreeMap<>();
      io.github.dartrl.grpo.metrics.MetricsLog.read(f)
          .forEach(
              m -> {
                double v = m.value("reward/mean");
                if (Double.isFinite(v)) {
                  byStep.put(m.step(), v);
                }
              });
      curves
          .computeIfAbsent(methodDir.getFileName().toString(), k -> new LinkedHashMap<>())
          .putIfAbsent(seed, byStep);
    }
    return curves;
  }

  static String markdown(StudyStats.Result r, List<Cost> costs, int files, List<String> plots) {
    StringBuilder b = new StringBuilder("# compare study\n\n");
    b.append(
        String.format(
            Locale.ROOT,
            "%d run file(s), seeds %s pooled; %d question(s) left out because some arm or seed"
                + " lacks them. EM is greedy exact match on the test split; a question's score is"
                + " its EM averaged over the seeds; 95%% CIs are percentile bootstraps over"
                + " questions (%d resamples, the same resamples for every arm: paired). Seed"
                + " spread: mean ± std of the per-seed EMs.%n%n",
            files,
            r.seeds(),
            r.droppedQuestions(),
            RESAMPLES));
    b.append("## EM per data_source\n\n");
    List<String> sources = r.em().stream().map(StudyStats.ArmEm::source).distinct().toList();
    MarkdownTable t = MarkdownTable.labelled("arm", "data_source", "questions", "EM [95% CI]");
    t.right("seed spread");
    for (String arm : r.arms()) {
      for (String s : sources) {
        r.em().stream()
            .filter(e -> e.arm().equals(arm) && e.source().equals(s))
            .forEach(e -> t.row(arm, s, e.questions(), interval(e.pooled()), e.seeds().format()));
      }
    }
    b.append(t).append('\n');
    b.append("## DART against the other methods (paired over questions)\n\n");
    MarkdownTable p =
        MarkdownTable.labelled(
            "comparison",
            "data_source",
            "EM difference [95% CI]",
            "share of questions A > B / A < B",
            "Wilcoxon z",
            "p");
    for (StudyStats.Paired x : r.paired()) {
      p.row(
          x.a() + " − " + x.b(),
          x.source(),
          interval(x.difference()),
          String.format(Locale.ROOT, "%.2f / %.2f", x.fractionGreater(), x.fractionLess()),
          String.format(Locale.ROOT, "%.2f", x.test().z()),
          String.format(Locale.ROOT, "%.3g", x.test().pValue()));
    }
    b.append(p).append('\n');
    b.append(
        "A CI of the difference that excludes 0 and a small p say the methods differ on this"
            + " question sample; they say nothing about other worlds or models.\n\n");
    b.append("## Cost per method (mean over seeds)\n\n");
    MarkdownTable c =
        MarkdownTable.labelled(
            "method", "runs", "steps", "train seconds", "peak RSS (MB)", "trainable parameters");
    Map<String, List<Cost>> byMethod = new LinkedHashMap<>();
    costs.forEach(x -> byMethod.computeIfAbsent(x.method(), k -> new ArrayList<>()).add(x));
    byMethod.forEach(
        (m, cs) ->
            c.row(
                m,
                cs.size(),
                String.format(Locale.ROOT, "%.0f", mean(cs, Cost::steps)),
                String.format(Locale.ROOT, "%.0f", mean(cs, Cost::trainSeconds)),
                String.format(Locale.ROOT, "%.0f", mean(cs, Cost::peakRssMb)),
                String.format(Locale.ROOT, "%.0f", mean(cs, x -> x.trainableParameters()))));
    b.append(c).append('\n');
    b.append(
        "Peak RSS is the process's VmHWM at the end of the run: per method only when each"
            + " method ran in its own process (scripts/compare-study.sh does); times are only"
            + " comparable when the machine ran nothing else.\n\n");
    for (String plot : plots) {
      b.append("![").append(plot).append("](plots/").append(plot).append(")\n\n");
    }
    return b.toString();
  }

  /**
   * Whether each method's reward curve has flattened: the mean training reward (over seeds) of the
   * last tenth of the steps against the tenth before it. A difference well above the step-to-step
   * noise says more steps would still pay, and the study should be rerun with more.
   */
  static String flattening(Map<String, Map<Long, Map<Integer, Double>>> curves) {
    if (curves.isEmpty()) {
      return "";
    }
    MarkdownTable t =
        MarkdownTable.labelled(
            "method", "steps", "reward, last 10% of steps", "the 10% before", "difference");
    curves.forEach(
        (method, bySeed) -> {
          int last =
              bySeed.values().stream()
                  .mapToInt(m -> m.isEmpty() ? 0 : java.util.Collections.max(m.keySet()))
                  .max()
                  .orElse(0);
          int w = Math.max(1, last / 10);
          double end = window(bySeed, last - w + 1, last);
          double before = window(bySeed, last - 2 * w + 1, last - w);
          t.row(
              method,
              last,
              String.format(Locale.ROOT, "%.3f", end),
              String.format(Locale.ROOT, "%.3f", before),
              String.format(Locale.ROOT, "%+.3f", end - before));
        });
    return "## Has the reward curve flattened?\n\n"
        + t
        + "\nMean training reward over seeds; a clearly positive difference says the runs stopped"
        + " while still improving (rerun the study with more --grpo-steps).\n";
  }

  private static double window(Map<Long, Map<Integer, Double>> bySeed, int from, int to) {
    return bySeed.values().stream()
        .flatMap(m -> m.entrySet().stream())
        .filter(e -> e.getKey() >= from && e.getKey() <= to)
        .mapToDouble(Map.Entry::getValue)
        .average()
        .orElse(Double.NaN);
  }

  private static double mean(List<Cost> cs, java.util.function.ToDoubleFunction<Cost> f) {
    return cs.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
  }

  static String interval(PercentileBootstrap.Interval i) {
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", i.estimate(), i.lower(), i.upper());
  }

  private static ObjectNode json(StudyStats.Result r, List<Cost> costs) {
    ObjectNode root = JSON.createObjectNode();
    root.set("seeds", JSON.valueToTree(r.seeds()));
    root.put("dropped_questions", r.droppedQuestions());
    ArrayNode em = root.putArray("em");
    for (StudyStats.ArmEm e : r.em()) {
      ObjectNode n = em.addObject();
      n.put("arm", e.arm());
      n.put("data_source", e.source());
      n.put("questions", e.questions());
      n.put("em", e.pooled().estimate());
      n.put("ci_lower", e.pooled().lower());
      n.put("ci_upper", e.pooled().upper());
      n.put("seed_mean", e.seeds().mean());
      n.put("seed_std", e.seeds().std());
    }
    ArrayNode paired = root.putArray("paired");
    for (StudyStats.Paired x : r.paired()) {
      ObjectNode n = paired.addObject();
      n.put("a", x.a());
      n.put("b", x.b());
      n.put("data_source", x.source());
      n.put("difference", x.difference().estimate());
      n.put("ci_lower", x.difference().lower());
      n.put("ci_upper", x.difference().upper());
      n.put("fraction_a_greater", x.fractionGreater());
      n.put("fraction_a_less", x.fractionLess());
      n.put("wilcoxon_z", x.test().z());
      n.put("wilcoxon_p", x.test().pValue());
    }
    ArrayNode cost = root.putArray("costs");
    for (Cost x : costs) {
      ObjectNode n = cost.addObject();
      n.put("method", x.method());
      n.put("seed", x.seed());
      n.put("steps", x.steps());
      n.put("train_seconds", x.trainSeconds());
      n.put("peak_rss_mb", x.peakRssMb());
      n.put("trainable_parameters", x.trainableParameters());
    }
    return root;
  }
}

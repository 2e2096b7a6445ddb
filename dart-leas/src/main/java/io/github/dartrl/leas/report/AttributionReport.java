package io.github.dartrl.leas.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.grpo.metrics.Charting;
import io.github.dartrl.grpo.metrics.CsvWriter;
import io.github.dartrl.leas.attribution.AccuracyBin;
import io.github.dartrl.leas.attribution.AttributionResult;
import io.github.dartrl.leas.attribution.AttributionRun;
import io.github.dartrl.leas.attribution.CeaDesign;
import io.github.dartrl.leas.attribution.Coefficient;
import io.github.dartrl.leas.attribution.CoefficientStats;
import io.github.dartrl.leas.attribution.IdenticalModelsNull;
import io.github.dartrl.leas.attribution.QuestionAttribution;
import io.github.dartrl.leas.attribution.SamplingStreams;
import io.github.dartrl.leas.attribution.VariantDiagnostics;
import io.github.dartrl.leas.stats.Histogram;
import io.github.dartrl.leas.stats.SignComparison;
import io.github.dartrl.leas.variant.CeaModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an {@link AttributionResult} into a directory:
 *
 * <ul>
 *   <li>{@code attribution.json} — settings, design matrix and inverse, question counts, mean
 *       accuracies, per-coefficient sign counts with the bootstrap CI of the negative fraction,
 *       summaries, histograms, the λ23 accuracy bins, run diagnostics and every question's k, N, ŝ,
 *       z and λ;
 *   <li>{@code attribution.csv} — one row per kept question;
 *   <li>{@code lambda23.png} (histogram, interference blue / synergy red, with Unified and Base
 *       accuracy per bin, as the paper's Fig. 2), {@code lambda12.png}, {@code lambda13.png};
 *   <li>{@code lambda23_null.csv} — every replicate of the identical-models null of the fraction
 *       λ23 &lt; 0 ({@link IdenticalModelsNull}); its summary is in the JSON and the Markdown;
 *   <li>{@code attribution_summary.md}.
 * </ul>
 */
public final class AttributionReport {
  private AttributionReport() {}

  /**
   * Writes every file; returns the Markdown summary.
   *
   * @param run the sampling run the counts came from, or null (counts read from a file)
   */
  public static String write(AttributionResult r, AttributionRun run, Path dir) throws IOException {
    writeJson(r, run, dir.resolve("attribution.json"));
    writeCsv(r, dir.resolve("attribution.csv"));
    if (Charting.available()) { // JFreeChart is optional: without it the report has no charts
      lambdaChart(r, Coefficient.L23, dir.resolve("lambda23.png"), true);
      lambdaChart(r, Coefficient.L12, dir.resolve("lambda12.png"), false);
      lambdaChart(r, Coefficient.L13, dir.resolve("lambda13.png"), false);
    }
    writeNullCsv(r.lambda23Null(), dir.resolve("lambda23_null.csv"));
    String md = markdown(r, run);
    AtomicFiles.write(
        dir.resolve("attribution_summary.md"),
        out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
    return md;
  }

  private static void lambdaChart(AttributionResult r, Coefficient c, Path png, boolean accuracy)
      throws IOException {
    Histogram h = r.coefficients().get(c).histogram();
    int[] neg = new int[h.bins()];
    int[] pos = new int[h.bins()];
    for (int i = 0; i < h.bins(); i++) {
      if (h.center(i) < 0) {
        neg[i] = h.counts()[i];
      } else {
        pos[i] = h.counts()[i];
      }
    }
    List<Charts.Line> lines = new ArrayList<>();
    if (accuracy) {
      double[] x = new double[r.lambda23Bins().size()];
      double[] uni = new double[x.length];
      double[] base = new double[x.length];
      for (int i = 0; i < x.length; i++) {
        AccuracyBin b = r.lambda23Bins().get(i);
        x[i] = (b.lo() + b.hi()) / 2;
        uni[i] = b.unifiedAccuracy();
        base[i] = b.baseAccuracy();
      }
      lines.add(new Charts.Line("Unified accuracy (k/N)", x, uni, Charts.ORANGE));
      lines.add(new Charts.Line("Base accuracy (k/N)", x, base, Charts.GREY));
    }
    CoefficientStats s = r.coefficients().get(c);
    String name = c.label().replace("lambda", "λ");
    Charts.histograms(
        png,
        Markdown.f(
            "%s per question: %s < 0 on %s of %d questions",
            name, name, Markdown.pct(s.negativeFraction().estimate()), r.keptQuestions()),
        name,
        List.of(
            new Charts.Bars(name + " < 0", new Histogram(h.edges(), neg, 0, 0), Charts.BLUE),
            new Charts.Bars(name + " ≥ 0", new Histogram(h.edges(), pos, 0, 0), Charts.RED)),
        false,
        lines,
        "mean accuracy in bin");
  }

  private static void writeJson(AttributionResult r, AttributionRun run, Path file)
      throws IOException {
    var json = ProbeReport.JSON;
    ObjectNode n = json.createObjectNode();
    n.put("kind", "dart4j-leas-attribution");
    ObjectNode cfg = json.valueToTree(r.config());
    cfg.put("smoothing_formula", r.config().smoothing().formula());
    n.set("config", cfg);
    ArrayNode models = n.putArray("models");
    for (CeaModel m : CeaModel.values()) {
      models.add(m.label());
    }
    ArrayNode coefs = n.putArray("coefficients");
    for (Coefficient c : Coefficient.values()) {
      coefs.add(c.label());
    }
    n.set("design_matrix", json.valueToTree(CeaDesign.matrix()));
    n.set("design_inverse", json.valueToTree(CeaDesign.inverse()));
    n.put("questions_total", r.totalQuestions());
    n.put("questions_kept", r.keptQuestions());
    n.put("questions_filtered", r.filteredQuestions());
    ObjectNode acc = n.putObject("mean_accuracy");
    for (CeaModel m : CeaModel.values()) {
      acc.put(m.label(), r.meanAccuracy().get(m));
    }
    ObjectNode stats = n.putObject("lambda_stats");
    for (Coefficient c : Coefficient.values()) {
      stats.set(c.label(), json.valueToTree(r.coefficients().get(c)));
    }
    n.set("lambda23_bins", json.valueToTree(r.lambda23Bins()));
    n.set("lambda23_null", nullJson(r.lambda23Null()));
    n.set("lambda23_sign", json.valueToTree(r.lambda23SignTest()));
    if (run != null) {
      ObjectNode rn = n.putObject("run");
      rn.put("samples_per_question", run.samplesPerQuestion());
      rn.put("seed", run.seed());
      rn.put("streams", run.streams().name());
      rn.put("hybrid_mode", run.hybridMode().name());
      ObjectNode d = rn.putObject("diagnostics");
      for (CeaModel m : CeaModel.values()) {
        VariantDiagnostics v = run.diagnostics().get(m);
        if (v != null) {
          d.set(m.label(), json.valueToTree(v));
        }
      }
    }
    ArrayNode qs = n.putArray("questions");
    for (QuestionAttribution q : r.questions()) {
      ObjectNode e = qs.addObject();
      e.put("id", q.counts().id());
      e.put("question", q.counts().question());
      e.set("k", json.valueToTree(q.counts().correct()));
      e.set("n", json.valueToTree(q.counts().samples()));
      e.set("s_hat", json.valueToTree(q.smoothed()));
      e.set("z", json.valueToTree(q.logits()));
      e.set("lambda", json.valueToTree(q.lambda()));
    }
    AtomicFiles.write(file, out -> json.writeValue(out, n));
  }

  /** The null's summary (its replicate fractions go to {@code lambda23_null.csv}). */
  public static ObjectNode nullJson(IdenticalModelsNull.Result x) {
    ObjectNode e = ProbeReport.JSON.createObjectNode();
    e.put(
        "description",
        "fraction lambda23 < 0 if Base, Reas, Tool, Unified and the hybrids were one model: per"
            + " kept question six Binomial(N_m, p) draws at its pooled rate p, redrawn until one is"
            + " positive (the keep filter), same smoothing; p_value = share of replicates >="
            + " measured");
    e.setAll(
        (ObjectNode) ProbeReport.JSON.valueToTree(x)); // the keys IdenticalModelsNull.Result names
    return e;
  }

  private static void writeNullCsv(IdenticalModelsNull.Result x, Path file) throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    for (int i = 0; i < x.fractions().length; i++) {
      rows.add(List.of(i, x.fractions()[i]));
    }
    CsvWriter.write(file, List.of("replicate", "fraction_lambda23_negative"), rows);
  }

  private static void writeCsv(AttributionResult r, Path file) throws IOException {
    List<String> header = new ArrayList<>(List.of("id", "question"));
    for (String p : List.of("k_", "n_", "s_", "z_")) {
      for (CeaModel m : CeaModel.values()) {
        header.add(p + m.label());
      }
    }
    for (Coefficient c : Coefficient.values()) {
      header.add(c.label());
    }
    List<List<Object>> rows = new ArrayList<>();
    for (QuestionAttribution q : r.questions()) {
      List<Object> row = new ArrayList<>(List.of(q.counts().id(), q.counts().question()));
      for (CeaModel m : CeaModel.values()) {
        row.add(q.counts().correct(m));
      }
      for (CeaModel m : CeaModel.values()) {
        row.add(q.counts().samples(m));
      }
      for (CeaModel m : CeaModel.values()) {
        row.add(q.smoothed(m));
      }
      for (CeaModel m : CeaModel.values()) {
        row.add(q.logit(m));
      }
      for (Coefficient c : Coefficient.values()) {
        row.add(q.lambda(c));
      }
      rows.add(row);
    }
    CsvWriter.write(file, header, rows);
  }

  static String markdown(AttributionResult r, AttributionRun run) {
    StringBuilder b = new StringBuilder();
    b.append("# CEA / LEAS attribution\n\n");
    b.append(
        Markdown.f(
            "Questions: %d, kept (some model correct at least once): %d, filtered: %d. "
                + "Smoothing ŝ = %s, z = logit(ŝ), λ = X⁻¹z per question.",
            r.totalQuestions(),
            r.keptQuestions(),
            r.filteredQuestions(),
            r.config().smoothing().formula()));
    if (run != null) {
      b.append(
          Markdown.f(
              " N = %d samples per question and model, hybrids run as %s, seed %d, %s.",
              run.samplesPerQuestion(), run.hybridMode(), run.seed(), streams(run.streams())));
    }
    b.append("\n\n| model | mean accuracy (k/N) |");
    boolean diag = run != null && !run.diagnostics().isEmpty();
    if (diag) {
      b.append(" answered | searches / sample | truncated | tool-token share |");
    }
    b.append("\n|---|---:|");
    if (diag) {
      b.append("---:|---:|---:|---:|");
    }
    b.append('\n');
    for (CeaModel m : CeaModel.values()) {
      b.append(Markdown.f("| %s | %s |", m.label(), Markdown.pct(r.meanAccuracy().get(m))));
      if (diag) {
        VariantDiagnostics v = run.diagnostics().get(m);
        b.append(
            Markdown.f(
                " %s | %s | %s | %s |",
                Markdown.pct(v.answered()),
                Markdown.num(v.searchesPerSample()),
                Markdown.pct(v.truncated()),
                Markdown.pct(v.toolTokenShare())));
      }
      b.append('\n');
    }
    double level = r.config().confidenceLevel();
    b.append(
        Markdown.f(
            "\n| coefficient | λ < 0 | λ = 0 | λ > 0 | fraction λ < 0 [%.0f%% CI] | mean | median |\n",
            100 * level));
    b.append("|---|---:|---:|---:|---|---:|---:|\n");
    for (Coefficient c : Coefficient.values()) {
      CoefficientStats s = r.coefficients().get(c);
      b.append(
          Markdown.f(
              "| %s | %d | %d | %d | %s [%s, %s] | %s | %s |\n",
              c.label(),
              s.negative(),
              s.zero(),
              s.positive(),
              Markdown.pct(s.negativeFraction().estimate()),
              Markdown.pct(s.negativeFraction().lower()),
              Markdown.pct(s.negativeFraction().upper()),
              Markdown.num(s.summary().mean()),
              Markdown.num(s.summary().median())));
    }
    b.append(nullMarkdown(r));
    if (run != null && run.streams() == SamplingStreams.COMMON) {
      b.append(COMMON_STREAMS_WARNING);
    }
    b.append(signMarkdown(r));
    b.append(
        Markdown.f(
            "\nλ23 = z_Unified − z_Tool − z_Reas + z_Base (tool × reasoning): < 0 is"
                + " interference, > 0 synergy. CIs: percentile bootstrap over questions, B = %d,"
                + " seed %d. Charts: `lambda23.png` (with accuracy per bin), `lambda12.png`,"
                + " `lambda13.png`; every question: `attribution.csv`.\n",
            r.config().bootstrapResamples(), r.config().seed()));
    return b.toString();
  }

  /** Why the null does not apply to counts sampled with common random numbers. */
  public static final String COMMON_STREAMS_WARNING =
      "\n**The null does not apply to these counts**: the variants sampled with common random"
          + " numbers, so similar variants drew nearly the same answers and their counts are"
          + " coupled (λ23 = 0 far more often than independent draws give), while the null redraws"
          + " each variant independently. Sample with independent streams (the default) to"
          + " compare with it; the sign test below does not depend on the coupling's zeros.\n";

  /** How the variants sampled, as a phrase for reports. */
  public static String streams(SamplingStreams s) {
    return s == SamplingStreams.COMMON
        ? "common random numbers for all variants"
        : "an independent random stream per variant";
  }

  /** The sign test of the non-zero λ23, as a sentence. */
  public static String signMarkdown(AttributionResult r) {
    SignComparison t = r.lambda23SignTest();
    return Markdown.f(
        "\n**Sign test of the non-zero λ23**: %d < 0 (interference) vs %d > 0 (synergy), exact"
            + " two-sided binomial p = %s; no interaction makes both signs equally likely.\n",
        t.negative(), t.positive(), Markdown.p(t.pValue()));
  }

  /** The measured fraction λ23 &lt; 0 against the identical-models null, as a paragraph. */
  public static String nullMarkdown(AttributionResult r) {
    IdenticalModelsNull.Result x = r.lambda23Null();
    CoefficientStats l23 = r.lambda23();
    return Markdown.f(
        "\n**λ23 < 0 against noise.** Measured: %s of %d kept questions, %.0f%% bootstrap CI"
            + " [%s, %s]. Null \"identical models\" (each kept question's six counts redrawn from"
            + " one rate, its pooled rate %s; same N, same smoothing, redrawn until some count is"
            + " positive as the keep filter requires; R = %d, seed %d): mean %s (Monte-Carlo s.e."
            + " %s), central %.0f%% interval [%s, %s]; λ23 = 0 on %s and > 0 on %s of questions on"
            + " average. Share of null replicates at or above the measured fraction: p = %s (%d of"
            + " %d).\n",
        Markdown.pct(l23.negativeFraction().estimate()),
        r.keptQuestions(),
        100 * l23.negativeFraction().level(),
        Markdown.pct(l23.negativeFraction().lower()),
        Markdown.pct(l23.negativeFraction().upper()),
        x.pooling(),
        x.replicates(),
        x.seed(),
        Markdown.pct(x.mean()),
        Markdown.pct(x.standardError()),
        100 * x.level(),
        Markdown.pct(x.lower()),
        Markdown.pct(x.upper()),
        Markdown.pct(x.meanZero()),
        Markdown.pct(x.meanPositive()),
        Markdown.p(x.pValue()),
        x.atOrAbove(),
        x.replicates());
  }
}

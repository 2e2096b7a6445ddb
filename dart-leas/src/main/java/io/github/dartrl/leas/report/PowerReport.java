package io.github.dartrl.leas.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.grpo.metrics.Charting;
import io.github.dartrl.grpo.metrics.CsvWriter;
import io.github.dartrl.leas.attribution.Lambda23Reading;
import io.github.dartrl.leas.attribution.PowerCell;
import io.github.dartrl.leas.attribution.PowerConfig;
import io.github.dartrl.leas.attribution.PowerResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link PowerResult} into a directory (new files only): {@code power.csv} (one cell a
 * line), {@code power.json}, {@code power.png} (power against the planted δ, one line per N and
 * share) and {@code power.md}.
 */
public final class PowerReport {
  /** File names, so callers can tell where the report went. */
  public static final List<String> FILES =
      List.of("power.csv", "power.json", "power.png", "power.md");

  private static final Color[] COLORS = {
    Charts.BLUE, Charts.RED, Charts.GREEN, Charts.ORANGE, Charts.GREY, new Color(148, 103, 189)
  };

  private PowerReport() {}

  /** Writes every file; returns the Markdown summary. */
  public static String write(PowerResult r, Path dir) throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    for (PowerCell c : r.cells()) {
      rows.add(
          List.of(
              c.samples(),
              c.delta(),
              c.share(),
              c.planted(),
              c.simulations(),
              c.detected(),
              c.power(),
              c.powerLower(),
              c.powerUpper(),
              c.belowNull(),
              c.signDetected(),
              c.signPower(),
              c.atOrBelowMeasured(),
              c.meanKept(),
              c.meanMeasured(),
              c.meanNullMean()));
    }
    CsvWriter.write(
        dir.resolve("power.csv"),
        List.of(
            "samples",
            "delta",
            "share",
            "planted",
            "simulations",
            "detected",
            "power",
            "power_lower",
            "power_upper",
            "below_null",
            "sign_detected",
            "sign_power",
            "at_or_below_measured",
            "mean_kept",
            "mean_fraction_negative",
            "mean_null_mean"),
        rows);
    writeJson(r, dir.resolve("power.json"));
    if (Charting.available()) { // JFreeChart is optional: without it the report has no chart
      chart(r, dir.resolve("power.png"));
    }
    String md = markdown(r);
    AtomicFiles.write(
        dir.resolve("power.md"), out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
    return md;
  }

  private static void chart(PowerResult r, Path png) throws IOException {
    PowerConfig c = r.config();
    List<Charts.Line> lines = new ArrayList<>();
    for (int n : c.samples()) {
      for (double share : c.shares()) {
        double[] x = new double[c.deltas().size()];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
          x[i] = c.deltas().get(i);
          y[i] = r.cell(n, x[i], share).power();
        }
        lines.add(
            new Charts.Line(
                Markdown.f("N=%d, share %s", n, Markdown.pct(share)),
                x,
                y,
                COLORS[lines.size() % COLORS.length]));
      }
    }
    Charts.lines(
        png,
        Markdown.f(
            "Power of the λ23 reading (%d questions, %s truth, %d simulations per point)",
            r.questions(), c.truth().name().toLowerCase(Locale.ROOT), c.simulations()),
        "planted λ23 (δ, logit scale)",
        "share of simulations read as detected",
        lines,
        0,
        1.05,
        false);
  }

  private static void writeJson(PowerResult r, Path file) throws IOException {
    ObjectMapper json = ProbeReport.JSON;
    ObjectNode n = json.createObjectNode();
    n.put("kind", "dart4j-leas-power");
    n.set("config", json.valueToTree(r.config()));
    n.put("questions", r.questions());
    n.put("measured_samples", r.measuredSamples());
    n.put("measured_fraction", r.measuredFraction());
    n.put(
        "rule",
        "detected: the fraction's CI lies above the null's mean and its one-sided p < "
            + Lambda23Reading.ALPHA);
    ArrayNode cells = n.putArray("cells");
    for (PowerCell c : r.cells()) {
      cells.add(json.valueToTree(c));
    }
    AtomicFiles.write(file, out -> json.writeValue(out, n));
  }

  static String markdown(PowerResult r) {
    PowerConfig c = r.config();
    StringBuilder b = new StringBuilder("# Power of the λ23 reading\n\n");
    b.append(
        Markdown.f(
            "Truth: the %d kept questions of the measured table (measured N = %d, its fraction"
                + " λ23 < 0 %s), rates %s. In"
                + " each simulation a random share of them has δ added to Unified's true logit"
                + " (the rest 0; with the measured or pooled truth δ is the question's true λ23),"
                + " every variant's count is drawn independently as Binomial(N, rate), and the"
                + " drawn table goes through the real analysis (keep-filter, %s smoothing, %d"
                + " bootstrap resamples, an identical-models null of %d replicates). *Detected*:"
                + " the fraction λ23 < 0 has its %s CI above the null's mean and p < %s (the rule"
                + " of every report). Sign: the non-zero λ23 lean negative at two-sided p < %s."
                + " %d simulations per cell, seed %d; the power's interval is exact"
                + " (Clopper–Pearson).\n\n",
            r.questions(),
            r.measuredSamples(),
            Markdown.pct(r.measuredFraction()),
            c.truth().description(),
            c.smoothing().formula(),
            c.bootstrapResamples(),
            c.nullReplicates(),
            Markdown.pct(c.confidenceLevel()),
            Lambda23Reading.ALPHA,
            Lambda23Reading.ALPHA,
            c.simulations(),
            c.seed()));
    b.append(
        "| N | δ | share | planted | power [CI] | below the null | sign power | mean kept |"
            + " mean fraction λ23 < 0 | mean null mean | P(≤ measured) |\n");
    b.append("|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (PowerCell p : r.cells()) {
      b.append(
          Markdown.f(
              "| %d | %s | %s | %d | %s [%s, %s] | %s | %s | %.1f | %s | %s | %s |\n",
              p.samples(),
              Markdown.num(p.delta()),
              Markdown.pct(p.share()),
              p.planted(),
              Markdown.pct(p.power()),
              Markdown.pct(p.powerLower()),
              Markdown.pct(p.powerUpper()),
              Markdown.pct(p.belowNull() / (double) p.simulations()),
              Markdown.pct(p.signPower()),
              p.meanKept(),
              Markdown.pct(p.meanMeasured()),
              Markdown.pct(p.meanNullMean()),
              p.samples() != r.measuredSamples()
                  ? "–"
                  // none of S simulations: the share is below 1/S, not below any finer bound
                  : p.atOrBelowMeasured() == 0
                      ? Markdown.f("< %.3g", 1.0 / p.simulations())
                      : Markdown.p(p.atOrBelowShare())));
    }
    b.append(
        "\nAt δ = 0 the power column is the false-positive rate of the reading (at most"
            + " about 5% if the null is honest for this truth). *P(≤ measured)*, at the measured N"
            + " only: the share of simulations whose fraction is at or below the measured table's;"
            + " below 0.05, an effect of that size and share is ruled out by the measurement (one"
            + " sided, as far as this truth's rates are right). Every cell: `power.csv`; power"
            + " curves: `power.png`.\n");
    return b.toString();
  }
}

package io.github.dartrl.leas.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.grpo.metrics.Charting;
import io.github.dartrl.grpo.metrics.CsvWriter;
import io.github.dartrl.leas.probe.RolePairResult;
import io.github.dartrl.leas.stats.Histogram;
import io.github.dartrl.leas.stats.PairedComparison;
import io.github.dartrl.leas.stats.Summary;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a {@link RolePairResult} into a directory (new files only, next to the batch probe's):
 * {@code role_pairs.csv} (one split a line: each role's same-role angle, each pair's inter-role
 * angle), {@code role_pairs.json}, {@code role_pairs.png} (histograms over splits) and {@code
 * role_pairs.md}.
 */
public final class RolePairReport {
  /** File names, so callers can tell where the report went. */
  public static final List<String> FILES =
      List.of("role_pairs.csv", "role_pairs.json", "role_pairs.png", "role_pairs.md");

  private static final Color[] PAIR_COLORS = {Charts.RED, Charts.ORANGE, Charts.GREY};
  private static final Color[] ROLE_COLORS = {Charts.BLUE, Charts.GREEN, new Color(148, 103, 189)};

  private RolePairReport() {}

  /** Writes every file; returns the Markdown summary. */
  public static String write(RolePairResult r, Path dir) throws IOException {
    List<List<Object>> rows = new ArrayList<>();
    for (int s = 0; s < r.splits(); s++) {
      List<Object> row = new ArrayList<>();
      row.add(s);
      for (double v : r.splitValues().get(s)) {
        row.add(v);
      }
      rows.add(row);
    }
    List<String> header = new ArrayList<>(List.of("split"));
    header.addAll(r.columns());
    CsvWriter.write(dir.resolve("role_pairs.csv"), header, rows);
    writeJson(r, dir.resolve("role_pairs.json"));
    if (Charting.available()) { // JFreeChart is optional: without it the report has no chart
      chart(r, dir.resolve("role_pairs.png"));
    }
    String md = markdown(r);
    AtomicFiles.write(
        dir.resolve("role_pairs.md"), out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
    return md;
  }

  private static void chart(RolePairResult r, Path png) throws IOException {
    List<Charts.Bars> bars = new ArrayList<>();
    int bins = r.config().histogramBins();
    int k = r.roles().size();
    for (int i = 0; i < r.pairs().size(); i++) {
      bars.add(
          new Charts.Bars(
              "inter-role " + r.pairs().get(i).label(),
              Histogram.of(column(r, k + i), 0, 180, bins),
              PAIR_COLORS[i % PAIR_COLORS.length]));
    }
    for (int i = 0; i < k; i++) {
      bars.add(
          new Charts.Bars(
              "same-role " + r.roles().get(i) + " A vs B",
              Histogram.of(column(r, i), 0, 180, bins),
              ROLE_COLORS[i % ROLE_COLORS.length]));
    }
    Charts.histograms(
        png,
        Markdown.f(
            "Role-pair gradient angles (%s, %d groups, %d splits)",
            r.method(), r.groups(), r.splits()),
        "angle (degrees)",
        bars,
        true,
        null,
        null);
  }

  private static double[] column(RolePairResult r, int c) {
    return r.splitValues().stream().mapToDouble(v -> v[c]).filter(d -> !Double.isNaN(d)).toArray();
  }

  private static void writeJson(RolePairResult r, Path file) throws IOException {
    ObjectMapper json = ProbeReport.JSON;
    ObjectNode n = json.createObjectNode();
    n.put("kind", "dart4j-leas-role-pairs");
    n.set("config", json.valueToTree(r.config()));
    n.put("method", r.method());
    n.put("trainable_parameters", r.trainableParameters());
    n.set("roles", json.valueToTree(r.roles()));
    n.put("groups", r.groups());
    n.set("groups_with_role", json.valueToTree(r.groupsWithRole()));
    n.put("groups_per_half", r.half());
    n.put("splits", r.splits());
    ObjectNode same = n.putObject("same_role");
    for (String role : r.roles()) {
      same.set(role, json.valueToTree(r.sameRole().get(role)));
    }
    ObjectNode pairs = n.putObject("pairs");
    for (RolePairResult.Pair p : r.pairs()) {
      ObjectNode e = pairs.putObject(p.label());
      e.put("first", p.first());
      e.put("second", p.second());
      e.set("inter_role", json.valueToTree(p.inter()));
      ObjectNode c = json.valueToTree(p.vsSameRole());
      c.put(
          "description",
          "inter-role vs the mean of both roles' same-role angles per split; Wilcoxon signed-rank"
              + " (normal approximation). The splits reuse the same groups: the p-value is"
              + " optimistic");
      e.set("vs_same_role", c);
    }
    AtomicFiles.write(file, out -> json.writeValue(out, n));
  }

  static String markdown(RolePairResult r) {
    StringBuilder b = new StringBuilder("# Role-pair gradient angles\n\n");
    b.append(
        Markdown.f(
            "Policy method **%s**, %d trainable scalars; roles %s. %d mixed-reward groups, %d"
                + " random splits (seed %d) into two halves of %d groups; per half and role the"
                + " summed role-restricted policy gradient g_k. Same-role: ∠(g_k^A, g_k^B);"
                + " inter-role of a pair (i, j): ∠(g_i^H, g_j^H), the mean of H = A, B.\n\n",
            r.method(),
            r.trainableParameters(),
            String.join(", ", r.roles()),
            r.groups(),
            r.splits(),
            r.config().seed(),
            r.half()));
    b.append("| role | groups with it |\n|---|---:|\n");
    for (String role : r.roles()) {
      b.append(Markdown.f("| %s | %d of %d |\n", role, r.groupsWithRole().get(role), r.groups()));
    }
    b.append("\n| angle over splits | splits | median | p05 | p95 |\n|---|---:|---:|---:|---:|\n");
    for (String role : r.roles()) {
      row(b, "same-role " + role + " A–B", r.sameRole().get(role));
    }
    for (RolePairResult.Pair p : r.pairs()) {
      row(b, "inter-role " + p.label(), p.inter());
    }
    b.append(
        "\nPer pair, paired over splits: its inter-role angle vs the mean of its two roles'"
            + " same-role angles (Wilcoxon signed-rank; the splits reuse the same groups, so the"
            + " p-value is optimistic: read the share first).\n\n");
    b.append("| pair | splits | share inter > same | median difference | p (two-sided) |\n");
    b.append("|---|---:|---:|---:|---:|\n");
    for (RolePairResult.Pair p : r.pairs()) {
      PairedComparison c = p.vsSameRole();
      b.append(
          Markdown.f(
              "| %s | %d | %s | %s | %s |\n",
              p.label(),
              c.n(),
              Markdown.pct(c.fractionGreater()),
              Markdown.num(c.medianDifference()),
              Markdown.p(c.pValue())));
    }
    b.append("\nEvery split: `role_pairs.csv`; histograms: `role_pairs.png`.\n");
    return b.toString();
  }

  private static void row(StringBuilder b, String name, Summary s) {
    b.append(
        Markdown.f(
            "| %s | %d | %s | %s | %s |\n",
            name, s.n(), Markdown.num(s.median()), Markdown.num(s.p05()), Markdown.num(s.p95())));
  }
}

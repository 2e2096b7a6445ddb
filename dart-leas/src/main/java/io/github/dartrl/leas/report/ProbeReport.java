package io.github.dartrl.leas.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.grpo.metrics.Charting;
import io.github.dartrl.grpo.metrics.CsvWriter;
import io.github.dartrl.leas.probe.AnglePair;
import io.github.dartrl.leas.probe.LayerAngles;
import io.github.dartrl.leas.probe.PairKind;
import io.github.dartrl.leas.probe.ProbeResult;
import io.github.dartrl.leas.probe.QueryAngles;
import io.github.dartrl.leas.stats.Summary;
import io.github.dartrl.leas.stats.WilcoxonSignedRank;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link ProbeResult} into a directory:
 *
 * <ul>
 *   <li>{@code probe.json} — settings, counts, summaries, histograms, tests, per-layer and
 *       per-query angles (every pair is in the CSV);
 *   <li>{@code probe_pairs.csv} — one row per measured angle, with per-layer angles;
 *   <li>{@code probe_queries.csv}, {@code probe_layers.csv};
 *   <li>{@code angles.png} (histograms, as fractions: inter-role vs same-role), {@code
 *       angles_by_layer.png} (mean angle per layer);
 *   <li>{@code probe_summary.md}.
 * </ul>
 */
public final class ProbeReport {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The tests, in report order, with a description. */
  private static final Map<String, String> TESTS =
      Map.of(
          "inter_role_vs_same_role", "inter-role vs same-role (both roles pooled)",
          "inter_role_vs_same_reasoning", "inter-role vs reasoning-vs-reasoning",
          "inter_role_vs_same_tool", "inter-role vs tool-vs-tool");

  private static final List<String> TEST_ORDER =
      List.of("inter_role_vs_same_role", "inter_role_vs_same_reasoning", "inter_role_vs_same_tool");

  private ProbeReport() {}

  /** Writes every file; returns the Markdown summary. */
  public static String write(ProbeResult r, Path dir) throws IOException {
    writeJson(r, dir.resolve("probe.json"));
    writeCsv(r, dir);
    if (Charting.available()) { // JFreeChart is optional: without it the report has no charts
      charts(r, dir);
    }
    String md = markdown(r);
    AtomicFiles.write(
        dir.resolve("probe_summary.md"), out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
    return md;
  }

  private static void charts(ProbeResult r, Path dir) throws IOException {
    Charts.histograms(
        dir.resolve("angles.png"),
        "Gradient angles (" + r.method() + ", G = " + r.config().groupSize() + ")",
        "angle (degrees)",
        List.of(
            new Charts.Bars(
                "reasoning vs tool, same trajectory",
                r.histograms().get(PairKind.INTER_ROLE),
                Charts.RED),
            new Charts.Bars(
                "reasoning vs reasoning", r.histograms().get(PairKind.SAME_REASONING), Charts.BLUE),
            new Charts.Bars("tool vs tool", r.histograms().get(PairKind.SAME_TOOL), Charts.GREEN)),
        true,
        null,
        null);
    double[] x = new double[r.layers().size()];
    double[] inter = new double[x.length];
    double[] reas = new double[x.length];
    double[] tool = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      LayerAngles l = r.layers().get(i);
      x[i] = i;
      inter[i] = l.interRole().mean();
      reas[i] = l.sameReasoning().mean();
      tool[i] = l.sameTool().mean();
    }
    Charts.lines(
        dir.resolve("angles_by_layer.png"),
        "Mean gradient angle per parameter group (" + String.join(", ", r.groups()) + ")",
        "group index",
        "mean angle (degrees)",
        List.of(
            new Charts.Line("reasoning vs tool", x, inter, Charts.RED),
            new Charts.Line("reasoning vs reasoning", x, reas, Charts.BLUE),
            new Charts.Line("tool vs tool", x, tool, Charts.GREEN)));
  }

  private static void writeJson(ProbeResult r, Path file) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", "dart4j-leas-gradient-probe");
    n.set("config", JSON.valueToTree(r.config()));
    n.put("method", r.method());
    n.put("trainable_parameters", r.trainableParameters());
    n.set("groups", JSON.valueToTree(r.groups()));
    n.set("counts", JSON.valueToTree(r.counts()));
    ObjectNode s = n.putObject("summaries");
    for (PairKind k : PairKind.values()) {
      s.set(k.label(), JSON.valueToTree(r.summaries().get(k)));
    }
    s.set("same_role", JSON.valueToTree(r.sameRole()));
    ObjectNode h = n.putObject("histograms");
    for (PairKind k : PairKind.values()) {
      h.set(k.label(), JSON.valueToTree(r.histograms().get(k)));
    }
    h.set("same_role", JSON.valueToTree(r.sameRoleHistogram()));
    ObjectNode t = n.putObject("wilcoxon");
    for (String key : TEST_ORDER) {
      ObjectNode e = JSON.valueToTree(r.tests().get(key));
      e.put("description", TESTS.get(key) + " (paired on per-query means)");
      t.set(key, e);
    }
    ArrayNode layers = n.putArray("layers");
    for (LayerAngles l : r.layers()) {
      layers.add(JSON.valueToTree(l));
    }
    n.set("queries", JSON.valueToTree(r.queries()));
    AtomicFiles.write(file, out -> JSON.writeValue(out, n));
  }

  private static void writeCsv(ProbeResult r, Path dir) throws IOException {
    List<String> header =
        new ArrayList<>(List.of("query", "kind", "first", "second", "cosine", "degrees"));
    for (String g : r.groups()) {
      header.add("degrees_" + g);
    }
    List<List<Object>> rows = new ArrayList<>();
    for (AnglePair p : r.pairs()) {
      List<Object> row =
          new ArrayList<>(
              List.of(p.query(), p.kind().label(), p.first(), p.second(), p.cosine(), p.degrees()));
      for (double d : p.layerDegrees()) {
        row.add(d);
      }
      rows.add(row);
    }
    CsvWriter.write(dir.resolve("probe_pairs.csv"), header, rows);
    List<List<Object>> qs = new ArrayList<>();
    for (QueryAngles q : r.queries()) {
      qs.add(
          List.of(
              q.query(),
              q.id(),
              q.rewardMean(),
              q.trajectories(),
              q.interRole(),
              q.sameReasoning(),
              q.sameTool(),
              q.sameRole()));
    }
    CsvWriter.write(
        dir.resolve("probe_queries.csv"),
        List.of(
            "query",
            "id",
            "reward_mean",
            "trajectories",
            "inter_role_mean",
            "same_reasoning_mean",
            "same_tool_mean",
            "same_role_mean"),
        qs);
    List<List<Object>> ls = new ArrayList<>();
    for (LayerAngles l : r.layers()) {
      ls.add(summaryRow(l.group(), PairKind.INTER_ROLE.label(), l.interRole()));
      ls.add(summaryRow(l.group(), PairKind.SAME_REASONING.label(), l.sameReasoning()));
      ls.add(summaryRow(l.group(), PairKind.SAME_TOOL.label(), l.sameTool()));
    }
    CsvWriter.write(
        dir.resolve("probe_layers.csv"),
        List.of("group", "kind", "n", "mean", "std", "p05", "median", "p95"),
        ls);
  }

  private static List<Object> summaryRow(String group, String kind, Summary s) {
    return List.of(group, kind, s.n(), s.mean(), s.std(), s.p05(), s.median(), s.p95());
  }

  static String markdown(ProbeResult r) {
    StringBuilder b = new StringBuilder();
    b.append("# Gradient-angle probe\n\n");
    b.append(
        Markdown.f(
            "Policy method **%s**, %d trainable scalars in %d groups; G = %d rollouts per query.\n\n",
            r.method(), r.trainableParameters(), r.groups().size(), r.config().groupSize()));
    var c = r.counts();
    b.append(
        Markdown.f(
            "Queries: %d, with mixed rewards (analysed): %d, all-equal rewards (skipped): %d. "
                + "Trajectories analysed: %d; without reasoning tokens: %d; without tool tokens"
                + " (never searched): %d; zero gradients skipped: %d.\n\n",
            c.queries(),
            c.mixedGroups(),
            c.uniformGroups(),
            c.trajectories(),
            c.missingReasoning(),
            c.missingTool(),
            c.zeroGradient()));
    b.append("| angle between | pairs | mean | median | p05 | p25 | p75 | p95 |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
    row(b, "reasoning vs tool, same trajectory", r.summaries().get(PairKind.INTER_ROLE));
    row(b, "reasoning vs reasoning, other trajectory", r.summaries().get(PairKind.SAME_REASONING));
    row(b, "tool vs tool, other trajectory", r.summaries().get(PairKind.SAME_TOOL));
    row(b, "same role (both pooled)", r.sameRole());
    b.append("\nPaired Wilcoxon signed-rank tests on per-query mean angles (normal approximation,")
        .append(
            " zero differences dropped, tie-corrected variance; z > 0: inter-role larger):\n\n");
    b.append("| comparison | queries | W+ | z | p (two-sided) |\n|---|---:|---:|---:|---:|\n");
    for (String key : TEST_ORDER) {
      WilcoxonSignedRank.Result w = r.tests().get(key);
      b.append(
          Markdown.f(
              "| %s | %d | %s | %s | %s |\n",
              TESTS.get(key),
              w.n(),
              Markdown.num(w.wPlus()),
              Markdown.num(w.z()),
              Markdown.p(w.pValue())));
    }
    b.append(
        "\nAngles are in degrees, arccos of the cosine of the flattened gradients of the"
            + " role-restricted policy-gradient losses. Per-layer angles: `probe_layers.csv`,"
            + " `angles_by_layer.png`; every pair: `probe_pairs.csv`.\n");
    return b.toString();
  }

  private static void row(StringBuilder b, String name, Summary s) {
    b.append(
        Markdown.f(
            "| %s | %d | %s | %s | %s | %s | %s | %s |\n",
            name,
            s.n(),
            Markdown.num(s.mean()),
            Markdown.num(s.median()),
            Markdown.num(s.p05()),
            Markdown.num(s.p25()),
            Markdown.num(s.p75()),
            Markdown.num(s.p95())));
  }
}

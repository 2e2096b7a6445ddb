package io.github.dartrl.leas.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.grpo.metrics.Charting;
import io.github.dartrl.grpo.metrics.CsvWriter;
import io.github.dartrl.leas.probe.BatchKind;
import io.github.dartrl.leas.probe.BatchLayerAngles;
import io.github.dartrl.leas.probe.BatchProbeResult;
import io.github.dartrl.leas.probe.BatchSplitAngles;
import io.github.dartrl.leas.probe.SplitAngles;
import io.github.dartrl.leas.stats.Histogram;
import io.github.dartrl.leas.stats.PairedComparison;
import io.github.dartrl.leas.stats.Summary;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes a {@link BatchProbeResult} into a directory (new files only, next to the per-trajectory
 * probe's):
 *
 * <ul>
 *   <li>{@code batch_angles.jsonl} and {@code batch_angles.csv} — one split a line: the groups of
 *       each half, the four angles, and the four angles per parameter group;
 *   <li>{@code batch_summary.json} — settings, counts, distributions, paired comparisons, per-layer
 *       distributions;
 *   <li>{@code batch_angles.png} — histograms over splits: inter-role vs both same-role angles;
 *   <li>{@code batch_summary.md}.
 * </ul>
 */
public final class BatchProbeReport {
  private static final ObjectMapper LINE = new ObjectMapper(); // one JSON object per line

  private static final Map<String, String> TESTS =
      Map.of(
          BatchSplitAngles.VS_SAME_ROLE, "inter-role vs same-role (mean of both roles)",
          BatchSplitAngles.VS_SAME_REASONING, "inter-role vs reasoning A–B",
          BatchSplitAngles.VS_SAME_TOOL, "inter-role vs tool A–B");

  private static final List<String> TEST_ORDER =
      List.of(
          BatchSplitAngles.VS_SAME_ROLE,
          BatchSplitAngles.VS_SAME_REASONING,
          BatchSplitAngles.VS_SAME_TOOL);

  /** File names, so callers can tell where the report went. */
  public static final List<String> FILES =
      List.of(
          "batch_angles.jsonl",
          "batch_angles.csv",
          "batch_summary.json",
          "batch_angles.png",
          "batch_summary.md");

  private BatchProbeReport() {}

  /** Writes every file; returns the Markdown summary. */
  public static String write(BatchProbeResult r, Path dir) throws IOException {
    writeJsonl(r, dir.resolve("batch_angles.jsonl"));
    writeCsv(r, dir.resolve("batch_angles.csv"));
    writeJson(r, dir.resolve("batch_summary.json"));
    if (Charting.available()) { // JFreeChart is optional: without it the report has no chart
      chart(r, dir.resolve("batch_angles.png"));
    }
    String md = markdown(r);
    AtomicFiles.write(
        dir.resolve("batch_summary.md"), out -> out.write(md.getBytes(StandardCharsets.UTF_8)));
    return md;
  }

  private static void chart(BatchProbeResult r, Path png) throws IOException {
    Map<BatchKind, Histogram> h = r.histograms();
    Charts.histograms(
        png,
        Markdown.f(
            "Batch-split gradient angles (%s, %d groups, %d splits of %d + %d)",
            r.method(), r.groups(), r.splits().size(), r.groupsPerHalf(), r.groupsPerHalf()),
        "angle (degrees)",
        List.of(
            new Charts.Bars(
                "inter-role: reasoning vs tool, same half",
                h.get(BatchKind.INTER_ROLE),
                Charts.RED),
            new Charts.Bars(
                "same-role: reasoning A vs B", h.get(BatchKind.SAME_REASONING), Charts.BLUE),
            new Charts.Bars("same-role: tool A vs B", h.get(BatchKind.SAME_TOOL), Charts.GREEN)),
        true,
        null,
        null);
  }

  private static void writeJsonl(BatchProbeResult r, Path file) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          for (SplitAngles s : r.splits()) {
            ObjectNode n = LINE.createObjectNode();
            n.put("split", s.split());
            n.set("half_a", LINE.valueToTree(s.halfA()));
            n.set("half_b", LINE.valueToTree(s.halfB()));
            n.put("same_reasoning", s.sameReasoning());
            n.put("same_tool", s.sameTool());
            n.put("inter_role_a", s.interRoleA());
            n.put("inter_role_b", s.interRoleB());
            n.put("inter_role", s.interRole());
            n.put("same_role", s.sameRole());
            ObjectNode layers = n.putObject("layers");
            for (int g = 0; g < r.parameterGroups().size(); g++) {
              layers.set(r.parameterGroups().get(g), LINE.valueToTree(s.layers()[g]));
            }
            w.write(LINE.writeValueAsString(n));
            w.write('\n');
          }
          w.flush();
        });
  }

  private static void writeCsv(BatchProbeResult r, Path file) throws IOException {
    List<String> header =
        new ArrayList<>(
            List.of(
                "split",
                "half_a",
                "half_b",
                "same_reasoning",
                "same_tool",
                "inter_role_a",
                "inter_role_b",
                "inter_role",
                "same_role"));
    for (String g : r.parameterGroups()) {
      for (String k : List.of("same_reasoning", "same_tool", "inter_role_a", "inter_role_b")) {
        header.add(k + "_" + g);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    for (SplitAngles s : r.splits()) {
      List<Object> row =
          new ArrayList<>(
              List.of(
                  s.split(),
                  join(s.halfA()),
                  join(s.halfB()),
                  s.sameReasoning(),
                  s.sameTool(),
                  s.interRoleA(),
                  s.interRoleB(),
                  s.interRole(),
                  s.sameRole()));
      for (double[] layer : s.layers()) {
        for (double v : layer) {
          row.add(v);
        }
      }
      rows.add(row);
    }
    CsvWriter.write(file, header, rows);
  }

  private static String join(int[] v) {
    return String.join(" ", Arrays.stream(v).mapToObj(Integer::toString).toList());
  }

  private static void writeJson(BatchProbeResult r, Path file) throws IOException {
    ObjectMapper json = ProbeReport.JSON;
    ObjectNode n = json.createObjectNode();
    n.put("kind", "dart4j-leas-batch-probe");
    n.set("config", json.valueToTree(r.config()));
    n.put("method", r.method());
    n.put("trainable_parameters", r.trainableParameters());
    n.set("parameter_groups", json.valueToTree(r.parameterGroups()));
    n.put("groups", r.groups());
    n.put("groups_per_half", r.groupsPerHalf());
    n.put("groups_without_tool", r.groupsWithoutTool());
    n.put("groups_without_reasoning", r.groupsWithoutReasoning());
    n.put("distinct_splits", r.distinctSplits());
    ObjectNode s = n.putObject("summaries");
    ObjectNode h = n.putObject("histograms");
    for (BatchKind k : BatchKind.values()) {
      s.set(k.label(), json.valueToTree(r.summaries().get(k)));
      h.set(k.label(), json.valueToTree(r.histograms().get(k)));
    }
    ObjectNode t = n.putObject("paired");
    for (String key : TEST_ORDER) {
      ObjectNode e = json.valueToTree(r.tests().get(key));
      e.put(
          "description",
          TESTS.get(key)
              + " per split; Wilcoxon signed-rank (commons-math3, normal approximation). The splits"
              + " reuse the same groups, so they are not independent and the p-value is optimistic");
      t.set(key, e);
    }
    ArrayNode layers = n.putArray("layers");
    for (BatchLayerAngles l : r.layers()) {
      layers.add(json.valueToTree(l));
    }
    AtomicFiles.write(file, out -> json.writeValue(out, n));
  }

  static String markdown(BatchProbeResult r) {
    StringBuilder b = new StringBuilder();
    b.append("# Batch-split gradient angles\n\n");
    b.append(
        Markdown.f(
            "Policy method **%s**, %d trainable scalars. %d mixed-reward groups (%d without a tool"
                + " gradient, %d without a reasoning gradient), %d random splits (seed %d; %d"
                + " distinct) into two halves of %d groups; per half the summed role-restricted"
                + " policy gradients g_r, g_t.\n\n",
            r.method(),
            r.trainableParameters(),
            r.groups(),
            r.groupsWithoutTool(),
            r.groupsWithoutReasoning(),
            r.splits().size(),
            r.config().seed(),
            r.distinctSplits(),
            r.groupsPerHalf()));
    b.append("| angle over splits | splits | mean | median | p05 | p95 |\n");
    b.append("|---|---:|---:|---:|---:|---:|\n");
    row(b, "inter-role ∠(g_r^H, g_t^H), mean of H = A, B", r.summaries().get(BatchKind.INTER_ROLE));
    row(b, "same-role ∠(g_r^A, g_r^B)", r.summaries().get(BatchKind.SAME_REASONING));
    row(b, "same-role ∠(g_t^A, g_t^B)", r.summaries().get(BatchKind.SAME_TOOL));
    row(b, "same-role, mean of both", r.summaries().get(BatchKind.SAME_ROLE));
    b.append(
        "\nPaired over splits (x = inter-role, y = same-role; Wilcoxon signed-rank of"
            + " commons-math3, normal approximation). The splits reuse the same groups, so they"
            + " are **not independent samples**: the p-value is optimistic, read the share of"
            + " splits first.\n\n");
    b.append(
        "| comparison | splits | share inter > same | median difference | W | p (two-sided) |\n");
    b.append("|---|---:|---:|---:|---:|---:|\n");
    for (String key : TEST_ORDER) {
      PairedComparison c = r.tests().get(key);
      b.append(
          Markdown.f(
              "| %s | %d | %s | %s | %s | %s |\n",
              TESTS.get(key),
              c.n(),
              Markdown.pct(c.fractionGreater()),
              Markdown.num(c.medianDifference()),
              Markdown.num(c.wilcoxonStatistic()),
              Markdown.p(c.pValue())));
    }
    b.append(
        "\n| parameter group | inter-role median | reasoning A–B median | tool A–B median |\n");
    b.append("|---|---:|---:|---:|\n");
    for (BatchLayerAngles l : r.layers()) {
      b.append(
          Markdown.f(
              "| %s | %s | %s | %s |\n",
              l.group(),
              Markdown.num(l.interRole().median()),
              Markdown.num(l.sameReasoning().median()),
              Markdown.num(l.sameTool().median())));
    }
    b.append(
        "\nEvery split: `batch_angles.jsonl` / `batch_angles.csv`; histogram:"
            + " `batch_angles.png`.\n");
    return b.toString();
  }

  private static void row(StringBuilder b, String name, Summary s) {
    b.append(
        Markdown.f(
            "| %s | %d | %s | %s | %s | %s |\n",
            name,
            s.n(),
            Markdown.num(s.mean()),
            Markdown.num(s.median()),
            Markdown.num(s.p05()),
            Markdown.num(s.p95())));
  }
}

package io.github.dartrl.examples.interference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.examples.harness.MarkdownTable;
import io.github.dartrl.examples.interference.InterferenceResult.ProbeOutcome;
import io.github.dartrl.leas.probe.BatchKind;
import io.github.dartrl.leas.probe.BatchProbeResult;
import io.github.dartrl.leas.probe.BatchSplitAngles;
import io.github.dartrl.leas.stats.PairedComparison;
import io.github.dartrl.leas.stats.Summary;
import java.util.List;
import java.util.Locale;

/**
 * The batch-split angles of every probe target in the interference summary: a table next to the
 * per-trajectory one, and their entries in {@code summary.json}.
 */
final class BatchAnglesSection {
  private BatchAnglesSection() {}

  /**
   * The Markdown table (empty if no target was probed); a target whose probe found nothing to
   * measure gets a row saying why.
   */
  static String markdown(List<ProbeOutcome> probes) {
    if (probes.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    b.append(
        "Batch-split angles, on the same rollouts and gradients: the mixed-reward groups are"
            + " split at random into two halves A and B (whole groups), each half's reasoning and"
            + " tool gradients summed; inter-role = ∠(g_r^H, g_t^H) (mean over H = A, B),"
            + " same-role = ∠(g_r^A, g_r^B) and ∠(g_t^A, g_t^B). Median [p05, p95] over the"
            + " splits; the share of splits with inter-role > same-role (mean of both roles); the"
            + " Wilcoxon p over splits is optimistic, as the splits reuse the same groups.\n\n");
    MarkdownTable t =
        MarkdownTable.labelled("target", "groups", "splits")
            .left("inter-role", "same-role reasoning", "same-role tool")
            .right("inter > same", "Wilcoxon p");
    for (ProbeOutcome p : probes) {
      if (!p.hasBatch()) {
        String why = p.ok() ? p.batchError() : p.error();
        t.row(p.target().label(), "–", "–", "no batch angles: " + why, "", "", "", "");
        continue;
      }
      BatchProbeResult r = p.batch();
      PairedComparison c = r.tests().get(BatchSplitAngles.VS_SAME_ROLE);
      t.row(
          p.target().label(),
          r.groups(),
          r.splits().size(),
          range(r.summaries().get(BatchKind.INTER_ROLE)),
          range(r.summaries().get(BatchKind.SAME_REASONING)),
          range(r.summaries().get(BatchKind.SAME_TOOL)),
          Double.isNaN(c.fractionGreater()) ? "–" : f("%.0f%%", 100 * c.fractionGreater()),
          Double.isNaN(c.pValue()) ? "–" : c.pValue() < 1e-4 ? "< 1e-4" : f("%.3g", c.pValue()));
    }
    b.append(t);
    b.append('\n');
    for (ProbeOutcome p : probes) {
      if (p.hasBatch()) {
        String dir = "probe/" + p.target().label();
        b.append(
            f(
                "![batch-split angles, %s](%s/batch_angles.png)%n%nFull report:"
                    + " [%s/batch_summary.md](%s/batch_summary.md).%n%n",
                p.target().label(), dir, dir, dir));
      }
    }
    return b.toString();
  }

  /** The target's batch entry of {@code summary.json}, added to {@code e}. */
  static void json(ObjectMapper json, ProbeOutcome p, ObjectNode e) {
    if (!p.hasBatch()) {
      if (p.batchError() != null) {
        e.put("batch_error", p.batchError());
      }
      return;
    }
    BatchProbeResult r = p.batch();
    ObjectNode b = e.putObject("batch");
    b.put("groups", r.groups());
    b.put("splits", r.splits().size());
    for (BatchKind k : BatchKind.values()) {
      b.set(k.label(), json.valueToTree(r.summaries().get(k)));
    }
    b.set(
        BatchSplitAngles.VS_SAME_ROLE,
        json.valueToTree(r.tests().get(BatchSplitAngles.VS_SAME_ROLE)));
  }

  private static String range(Summary s) {
    return s.n() == 0 ? "–" : f("%.1f° [%.1f, %.1f]", s.median(), s.p05(), s.p95());
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

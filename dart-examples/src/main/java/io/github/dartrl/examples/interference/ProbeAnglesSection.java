package io.github.dartrl.examples.interference;

import io.github.dartrl.examples.harness.MarkdownTable;
import io.github.dartrl.examples.interference.InterferenceResult.ProbeOutcome;
import io.github.dartrl.leas.probe.PairKind;
import io.github.dartrl.leas.probe.ProbeResult;
import io.github.dartrl.leas.stats.WilcoxonSignedRank;
import java.util.List;
import java.util.Locale;

/**
 * The "Gradient angles" section of the interference summary: per probe target, the per-trajectory
 * inter-role and same-role angles with their Wilcoxon test, then the batch-split angles ({@link
 * BatchAnglesSection}) and links to each probe's own report.
 */
final class ProbeAnglesSection {
  private ProbeAnglesSection() {}

  static String markdown(List<ProbeOutcome> probes) {
    StringBuilder b = new StringBuilder();
    b.append("## Gradient angles\n\n");
    if (probes.isEmpty()) {
      b.append("Not run (probe queries = 0).\n\n");
    } else {
      b.append(
          "Per query G rollouts, GRPO advantages; per trajectory the angle between the gradient"
              + " of its REASONING tokens' loss and that of its TOOL tokens' loss (inter-role), vs"
              + " same-role angles between trajectories of the same query. Wilcoxon signed-rank"
              + " on per-query means, inter-role vs same-role pooled (z > 0: inter-role angles"
              + " larger).\n\n");
      MarkdownTable t =
          MarkdownTable.labelled(
              "target",
              "trainable params",
              "mixed-reward queries",
              "inter-role median (mean)",
              "same-role median",
              "reasoning–reasoning",
              "tool–tool",
              "Wilcoxon n",
              "z",
              "p");
      for (ProbeOutcome p : probes) {
        if (!p.ok()) {
          t.row(p.target().label(), "–", "–", "no angles: " + p.error(), "", "", "", "", "", "");
          continue;
        }
        ProbeResult pr = p.result();
        WilcoxonSignedRank.Result w = pr.tests().get("inter_role_vs_same_role");
        t.row(
            p.target().label(),
            f("%,d", pr.trainableParameters()),
            f("%d of %d", pr.counts().mixedGroups(), pr.counts().queries()),
            f(
                "%.1f° (%.1f°)",
                pr.summaries().get(PairKind.INTER_ROLE).median(),
                pr.summaries().get(PairKind.INTER_ROLE).mean()),
            f("%.1f°", pr.sameRole().median()),
            f("%.1f°", pr.summaries().get(PairKind.SAME_REASONING).median()),
            f("%.1f°", pr.summaries().get(PairKind.SAME_TOOL).median()),
            w == null ? 0 : w.n(),
            f("%.2f", w == null ? Double.NaN : w.z()),
            w == null ? "–" : p(w.pValue()));
      }
      b.append(t);
      b.append('\n');
      b.append(BatchAnglesSection.markdown(probes));
      for (ProbeOutcome p : probes) {
        if (p.ok()) {
          String dir = "probe/" + p.target().label();
          b.append(
              f(
                  "![angles, %s](%s/angles.png)%n%nFull report: [%s/probe_summary.md](%s/probe_summary.md).%n%n",
                  p.target().label(), dir, dir, dir));
        }
      }
    }

    return b.toString();
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String p(double v) {
    return Double.isNaN(v) ? "–" : v < 1e-4 ? "< 1e-4" : f("%.3g", v);
  }
}

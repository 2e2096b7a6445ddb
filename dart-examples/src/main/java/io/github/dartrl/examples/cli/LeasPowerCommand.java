package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.leas.attribution.CountTable;
import io.github.dartrl.leas.attribution.Lambda23Power;
import io.github.dartrl.leas.attribution.PlantedTruth;
import io.github.dartrl.leas.attribution.PowerConfig;
import io.github.dartrl.leas.attribution.PowerResult;
import io.github.dartrl.leas.attribution.Smoothing;
import io.github.dartrl.leas.report.PowerReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j leas power}: how large an interaction the λ23 reading would detect on a measured
 * world's questions ({@link Lambda23Power}), before a null result is read as "no interference".
 */
@Command(
    name = "power",
    mixinStandardHelpOptions = true,
    description = {
      "Power of the lambda23 reading: plant an interaction of known size (delta, on a share of the"
          + " questions) into the kept questions of a measured counts.jsonl, draw counts with N"
          + " samples per variant, run the real analysis (CI, identical-models null) and count how"
          + " often it reads 'detected'.",
      "Writes power.csv/.json/.md/.png into --out (a new directory) and prints the table."
    })
public final class LeasPowerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--counts",
      required = true,
      paramLabel = "FILE",
      description = "a measured counts.jsonl (from leas attribution or interference)")
  Path counts;

  @Option(names = "--out", required = true, description = "new report directory")
  Path out;

  @Option(
      names = "--samples",
      split = ",",
      paramLabel = "N",
      description = "samples per variant and question, a grid axis (default: 10,20,50)")
  List<Integer> samples;

  @Option(
      names = "--delta",
      split = ",",
      paramLabel = "D",
      description = "planted lambda23 on the logit scale, a grid axis (default: 0,-0.5,-1,-2)")
  List<Double> deltas;

  @Option(
      names = "--share",
      split = ",",
      paramLabel = "S",
      description = "share of the questions carrying delta, a grid axis (default: 0.5,1)")
  List<Double> shares;

  @Option(
      names = "--truth",
      defaultValue = "measured",
      description =
          "rates the interaction is planted into: measured (each variant's smoothed rate), pooled"
              + " (all at the question's pooled rate, i.e. the null itself at delta 0), conjunctive"
              + " (measured, Unified = Tool x Reas / Base: both roles needed, no interaction in"
              + " the parameters) or disjunctive (Unified's failure = the product of the roles'"
              + " failure reductions: either role suffices)")
  String truth;

  @Option(
      names = "--simulations",
      defaultValue = "200",
      description = "simulated measurements per cell (default: ${DEFAULT-VALUE})")
  int simulations;

  @Option(
      names = "--null-replicates",
      defaultValue = "500",
      description = "R of each simulation's identical-models null (default: ${DEFAULT-VALUE})")
  int nullReplicates;

  @Option(
      names = "--bootstrap",
      defaultValue = "1000",
      description = "B of each simulation's percentile CI (default: ${DEFAULT-VALUE})")
  int bootstrap;

  @Option(
      names = "--smoothing",
      defaultValue = "add-half",
      description = "add-half or clip (default: ${DEFAULT-VALUE})")
  String smoothing;

  @Option(names = "--seed", defaultValue = "0", description = "seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Override
  public Integer call() throws Exception {
    PowerConfig d = PowerConfig.defaults();
    PowerConfig config;
    try {
      config =
          new PowerConfig(
              samples == null ? d.samples() : samples,
              deltas == null ? d.deltas() : deltas,
              shares == null ? d.shares() : shares,
              LeasCommand.parse(PlantedTruth.class, "--truth", truth),
              simulations,
              nullReplicates,
              bootstrap,
              d.confidenceLevel(),
              LeasCommand.parse(Smoothing.class, "--smoothing", smoothing),
              seed);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (!Files.isRegularFile(counts)) {
      throw new IllegalArgumentException("counts file not found: " + counts);
    }
    OutputDir.requireNew(out, "--out"); // an earlier report is never overwritten
    CountTable table = CountTable.read(counts);
    PowerResult r = Lambda23Power.simulate(table, config);
    Files.createDirectories(out);
    String md = PowerReport.write(r, out);
    PrintWriter w = spec.commandLine().getOut();
    w.println(md);
    w.println("report written to " + out.toAbsolutePath().normalize());
    w.flush();
    return 0;
  }
}

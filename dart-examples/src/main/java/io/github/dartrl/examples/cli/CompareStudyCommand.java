package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.compare.CompareStudy;
import io.github.dartrl.examples.compare.StudyStats;
import io.github.dartrl.examples.harness.OutputDir;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j compare-report}: pools every compare run under a directory into one report with
 * CIs, paired tests, costs and plots ({@link CompareStudy}).
 */
@Command(
    name = "compare-report",
    mixinStandardHelpOptions = true,
    description =
        "Pool the compare runs under --in (their questions.jsonl and results.jsonl) into study.md"
            + " / study.json: EM per data_source with 95% paired-bootstrap CIs over questions"
            + " pooled over seeds, the seed spread, DART vs each method (paired bootstrap,"
            + " Wilcoxon), DART's isolated capabilities, time and peak memory, plots.")
public final class CompareStudyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--in", required = true, description = "directory holding compare runs")
  Path in;

  @Option(names = "--out", required = true, description = "output directory (empty or absent)")
  Path out;

  @Override
  public Integer call() {
    OutputDir.requireNew(out, "--out");
    StudyStats.Result r = CompareStudy.run(in, out);
    PrintWriter w = spec.commandLine().getOut();
    r.em().stream()
        .filter(e -> e.source().equals(StudyStats.ALL))
        .forEach(
            e ->
                w.printf(
                    Locale.ROOT,
                    "%s: EM %.3f [%.3f, %.3f] over %d questions, seeds %s%n",
                    e.arm(),
                    e.pooled().estimate(),
                    e.pooled().lower(),
                    e.pooled().upper(),
                    e.questions(),
                    r.seeds()));
    w.println("report in " + out.resolve(CompareStudy.SUMMARY));
    w.flush();
    return 0;
  }
}

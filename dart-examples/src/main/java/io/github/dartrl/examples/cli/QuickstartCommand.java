package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.examples.quickstart.Quickstart;
import io.github.dartrl.examples.quickstart.QuickstartConfig;
import io.github.dartrl.examples.quickstart.QuickstartResult;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j quickstart}: the main job on the bundled world (world → BM25 → tiny model → SFT
 * warm-start → EM → GRPO with DART → EM → adapters and a results folder).
 */
@Command(
    name = "quickstart",
    mixinStandardHelpOptions = true,
    description =
        "Run the main job on the bundled synthetic world: SFT warm-start, then DART trained with"
            + " GRPO; writes EM before/after, metrics, plots and summary.md.")
public final class QuickstartCommand implements Callable<Integer> {
  @Mixin DeviceOption deviceOption;

  @Mixin WorldOption worldOption;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "output directory (empty or absent)")
  Path out;

  @Option(
      names = "--budget-minutes",
      description = "stop GRPO early to end within this time (0 = no limit; default: preset's)")
  Double budgetMinutes;

  @Option(names = "--grpo-steps", description = "GRPO steps (default: preset's)")
  Integer grpoSteps;

  @Option(names = "--sft-epochs", description = "SFT epochs (default: preset's)")
  Integer sftEpochs;

  @Option(names = "--eval-limit", description = "evaluate on the first N test questions (0 = all)")
  Integer evalLimit;

  @Option(
      names = "--instruction",
      description =
          "prompt instruction: short (default; 7 tokens) or search-r1 (Search-R1's full"
              + " instruction, 118 tokens, about 1.6x the compute)")
  String instruction;

  @Option(
      names = "--seed",
      description = "seed of the model init, SFT shuffle, GRPO sampling and adapters (default 1)")
  Long seed;

  @Option(names = "--smoke", description = "a tiny run of under a minute (small world and model)")
  boolean smoke;

  @Option(
      names = "--tools",
      split = ",",
      description =
          "tools of the run: search (default) or search,sql (a quarter of the questions need a"
              + " search and then SQL over the world's tables; DART gets three adapters:"
              + " reasoning, search, sql)")
  java.util.List<String> tools;

  @Option(
      names = "--sql-fraction",
      paramLabel = "F",
      description =
          "with --tools search,sql: the share of questions that need a search and then SQL, in"
              + " (0, 1) (default 0.25); a larger share gives the SQL role more tokens, e.g. for"
              + " the three-role probe")
  Double sqlFraction;

  @Override
  public Integer call() {
    deviceOption.select(); // before any tensor: the job's models go there
    QuickstartConfig c = config();
    OutputDir.requireNew(out, "--out");
    QuickstartResult r = Quickstart.run(c, out);
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "test EM %.3f (warm start) -> %.3f (after %d GRPO steps); results in %s%n",
            r.before().exactMatch(),
            r.after().exactMatch(),
            r.grpoSteps(),
            out.resolve("summary.md"));
    if (c.sql()) {
      spec.commandLine()
          .getOut()
          .printf(
              Locale.ROOT,
              "adapters %s; sql EM %.3f -> %.3f, sql used %.2f -> %.2f%n",
              String.join(", ", c.policy().adapterConfigs().stream().map(a -> a.name()).toList()),
              r.before().exactMatchBySource().getOrDefault("searchsql", Double.NaN),
              r.after().exactMatchBySource().getOrDefault("searchsql", Double.NaN),
              r.toolCallRates().getOrDefault("sql_before", Double.NaN),
              r.toolCallRates().getOrDefault("sql_after", Double.NaN));
    }
    return 0;
  }

  /** The run's config; a value out of range is a usage error naming its option (exit code 2). */
  QuickstartConfig config() {
    QuickstartConfig c =
        worldOption.apply(
            smoke ? QuickstartConfig.smoke() : QuickstartConfig.defaults(), spec.commandLine());
    if (seed != null) {
      c = c.withSeed(seed);
    }
    if (budgetMinutes != null) {
      QuickstartConfig base = c;
      c = option("--budget-minutes", () -> base.withBudgetMinutes(budgetMinutes));
    }
    if (grpoSteps != null) {
      QuickstartConfig base = c;
      c =
          option(
              "--grpo-steps",
              () -> base.withGrpo(base.grpo().toBuilder().totalSteps(grpoSteps).build()));
    }
    if (sftEpochs != null) {
      QuickstartConfig base = c;
      c =
          option(
              "--sft-epochs", () -> base.withSft(base.sft().toBuilder().epochs(sftEpochs).build()));
    }
    if (instruction != null) {
      c =
          switch (instruction) {
            case "short" -> c.withInstruction(QuickstartConfig.shortInstruction());
            case "search-r1" -> c.withInstruction(QuickstartConfig.searchR1Instruction());
            default ->
                throw new ParameterException(
                    spec.commandLine(),
                    "--instruction must be short or search-r1, got " + instruction);
          };
    }
    if (evalLimit != null) {
      QuickstartConfig base = c;
      c = option("--eval-limit", () -> base.withEvalLimit(evalLimit));
    }
    if (sqlFraction != null && (tools == null || !tools.contains("sql"))) {
      throw new ParameterException(spec.commandLine(), "--sql-fraction needs --tools search,sql");
    }
    // last: the SQL tool's description goes into whichever instruction was chosen
    if (tools != null) {
      java.util.List<String> t = tools.stream().map(String::strip).toList();
      if (t.equals(java.util.List.of("search", "sql"))) {
        double f = sqlFraction == null ? QuickstartConfig.SQL_FRACTION : sqlFraction;
        if (!(f > 0 && f < 1)) {
          throw new ParameterException(
              spec.commandLine(), "--sql-fraction must be in (0, 1), got " + f);
        }
        QuickstartConfig base = c;
        c = option("--sql-fraction", () -> base.withSql(f));
      } else if (!t.equals(java.util.List.of("search"))) {
        throw new ParameterException(
            spec.commandLine(), "--tools must be search or search,sql, got " + String.join(",", t));
      }
    }
    return c;
  }

  private QuickstartConfig option(String name, Supplier<QuickstartConfig> apply) {
    try {
      return apply.get();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), name + ": " + e.getMessage());
    }
  }
}

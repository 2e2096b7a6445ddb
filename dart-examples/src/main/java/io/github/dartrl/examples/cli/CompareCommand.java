package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.compare.Compare;
import io.github.dartrl.examples.compare.CompareConfig;
import io.github.dartrl.examples.compare.CompareMethod;
import io.github.dartrl.examples.compare.CompareReport;
import io.github.dartrl.examples.compare.CompareResult;
import io.github.dartrl.examples.harness.OutputDir;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j compare}: DART vs single LoRA vs full fine-tuning vs 2-Agent on the bundled world,
 * same warm start, seeds and step count; a results table of EM per data_source over seeds.
 */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description =
        "Compare DART, single LoRA, full fine-tuning and 2-Agent on the bundled world (same warm"
            + " start, GRPO config, data order and step count per seed); writes results.jsonl/csv,"
            + " summary.md (EM per data_source, mean ± std over seeds) and plots.")
public final class CompareCommand implements Callable<Integer> {
  @Mixin DeviceOption deviceOption;

  @Mixin WorldOption worldOption;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "output directory (empty or absent)")
  Path out;

  @Option(
      names = "--seeds",
      split = ",",
      description = "comma-separated seeds (default: 1,2; --smoke: 1)")
  List<Long> seeds;

  @Option(
      names = "--methods",
      split = ",",
      description = "comma-separated methods among ${COMPLETION-CANDIDATES} (default: all)")
  List<CompareMethod> methods;

  @Option(names = "--grpo-steps", description = "GRPO steps per run (default: preset's)")
  Integer grpoSteps;

  @Option(
      names = "--budget-minutes",
      description =
          "time budget of the whole comparison; scales the steps per run down uniformly"
              + " (0 = none; default 40, --smoke: none)")
  Double budgetMinutes;

  @Option(names = "--eval-limit", description = "evaluate on the first N test questions (0 = all)")
  Integer evalLimit;

  @Option(names = "--sft-epochs", description = "SFT warm-start epochs (default: preset's)")
  Integer sftEpochs;

  @Option(
      names = "--sft-batch",
      description = "SFT batch size (demonstrations per step; default: preset's)")
  Integer sftBatch;

  @Option(names = "--prompts-per-step", description = "GRPO prompts per step (default: preset's)")
  Integer promptsPerStep;

  @Option(
      names = "--full-lr-ratio",
      description = "learning rate of FULL and TWO_AGENT relative to the adapters' (default 0.1)")
  Double fullLrRatio;

  @Option(names = "--reward", description = "GRPO reward: em (default), subem, f1 or format")
  String reward;

  @Option(
      names = "--warm-start",
      description =
          "reuse the warm start of an earlier quickstart/compare-seed directory (world/, index/,"
              + " model-sft/) for every seed instead of running SFT per seed")
  Path warmStart;

  @Option(
      names = "--warm-start-only",
      description =
          "only build each seed's warm start into OUT/seed-S (world, index, model-sft) for later"
              + " runs' --warm-start; no GRPO")
  boolean warmStartOnly;

  @Option(names = "--smoke", description = "a tiny run: small world and model, 1 seed, 2 steps")
  boolean smoke;

  @Override
  public Integer call() {
    deviceOption.select(); // before any tensor: the job's models go there
    CompareConfig c = smoke ? CompareConfig.smoke() : CompareConfig.defaults();
    c = c.withBase(worldOption.apply(c.base(), spec.commandLine()));
    if (seeds != null) {
      c = c.withSeeds(seeds);
    }
    if (methods != null) {
      c = c.withMethods(methods);
    }
    if (grpoSteps != null) {
      c = c.withGrpoSteps(grpoSteps);
    }
    if (budgetMinutes != null) {
      c = c.withBase(c.base().withBudgetMinutes(budgetMinutes));
    }
    if (evalLimit != null) {
      c = c.withBase(c.base().withEvalLimit(evalLimit));
    }
    if (sftEpochs != null) {
      c = c.withBase(c.base().withSft(c.base().sft().toBuilder().epochs(sftEpochs).build()));
    }
    if (sftBatch != null) {
      c =
          c.withBase(
              c.base()
                  .withSft(
                      c.base().sft().toBuilder()
                          .batchSize(sftBatch)
                          .microBatchSize(sftBatch)
                          .build()));
    }
    if (promptsPerStep != null) {
      c =
          c.withBase(
              c.base()
                  .withGrpo(c.base().grpo().toBuilder().promptsPerStep(promptsPerStep).build()));
    }
    if (fullLrRatio != null) {
      c = c.withFullLrRatio(fullLrRatio);
    }
    if (warmStart != null) {
      c = c.withWarmStart(warmStart);
    }
    if (reward != null) {
      c = c.withReward(reward);
    }
    OutputDir.requireNew(out, "--out");
    if (warmStartOnly) {
      try {
        Compare.warmStartsOnly(c, out);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      spec.commandLine().getOut().printf("warm starts of seeds %s in %s%n", c.seeds(), out);
      return 0;
    }
    CompareResult r = Compare.run(c, out);
    spec.commandLine()
        .getOut()
        .printf(
            "%d runs, %d GRPO steps each; results in %s%n",
            r.runs().size(), r.plan().steps(), out.resolve(CompareReport.SUMMARY));
    return 0;
  }
}

package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.examples.interference.Interference;
import io.github.dartrl.examples.interference.InterferenceConfig;
import io.github.dartrl.examples.interference.InterferenceResult;
import io.github.dartrl.examples.interference.ProbeTarget;
import io.github.dartrl.examples.quickstart.QuickstartConfig;
import io.github.dartrl.leas.variant.HybridMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j interference}: LEAS/CEA on the bundled world (warm start → Reas, Tool, Unified by
 * role-masked GRPO → six-variant attribution → gradient-angle probe → results folder).
 */
@Command(
    name = "interference",
    mixinStandardHelpOptions = true,
    description = {
      "Measure reasoning/tool-use interference on the bundled synthetic world: SFT warm start"
          + " (Base), GRPO variants Reas (loss on reasoning tokens), Tool (tool tokens) and"
          + " Unified (all), CEA attribution over the six variants (fraction of lambda23 < 0 with"
          + " a bootstrap CI, against its identical-models null) and the gradient-angle probe"
          + " (per trajectory and over random half splits of the batch).",
      "Writes summary.md, summary.json, plots/, attribution/, probe/<target>/ and every"
          + " model and adapter into --out."
    })
public final class InterferenceCommand implements Callable<Integer> {
  @Mixin DeviceOption deviceOption;

  @Mixin WorldOption worldOption;

  @Spec CommandSpec spec;

  @Option(names = "--out", required = true, description = "output directory (empty or absent)")
  Path out;

  @Option(names = "--questions", description = "test questions to attribute (default: preset's)")
  Integer questions;

  @Option(names = "--samples", description = "N samples per question and variant")
  Integer samples;

  @Option(names = "--grpo-steps", description = "GRPO steps per variant (default: preset's)")
  Integer grpoSteps;

  @Option(
      names = "--temperature",
      description =
          "sampling temperature of GRPO, attribution and probe (default 1.0, the paper's)")
  Double temperature;

  @Option(
      names = "--base",
      description =
          "the warm start: small (default: d=64, 2 layers, 2 SFT epochs) or quickstart (the"
              + " quickstart's d=128, 4 layers, 4 SFT epochs; about 4x the compute)")
  String base;

  @Option(names = "--sft-epochs", description = "SFT epochs of the warm start")
  Integer sftEpochs;

  @Option(names = "--probe-queries", description = "probe queries (0 = no probe)")
  Integer probeQueries;

  @Option(names = "--group-size", description = "G rollouts per probe query")
  Integer groupSize;

  @Option(
      names = "--probe-on",
      split = ",",
      description = "probe targets: base-lora, base-full, unified-lora (default: all three)")
  List<String> probeOn;

  @Option(
      names = "--hybrid",
      description = "handoff (two KV caches; default) or routed (adapters switched per position)")
  String hybrid;

  @Option(names = "--questions-per-batch", description = "questions sampled together")
  Integer questionsPerBatch;

  @Option(
      names = "--budget-minutes",
      description =
          "fit the job in this many minutes by training fewer GRPO steps and attributing fewer"
              + " questions (0 = no limit; default: preset's)")
  Double budgetMinutes;

  @Option(
      names = "--lora-rank",
      paramLabel = "R",
      description =
          "rank of the variants' LoRA adapter (default 16); alpha follows it so the update's scale"
              + " stays: a capacity knob (a small rank makes the roles share fewer directions)")
  Integer loraRank;

  @Option(
      names = "--lora-targets",
      split = ",",
      paramLabel = "MODULE",
      description =
          "projections the variants' adapter attaches to (default: all seven, q_proj ... down_proj)")
  List<String> loraTargets;

  @Option(names = "--seed", description = "seed of everything trained or sampled (default 1)")
  Long seed;

  @Option(
      names = "--reuse-warm-start",
      paramLabel = "DIR",
      description =
          "copy world, index, Base model and SFT metrics from an earlier interference or"
              + " quickstart output directory of the same world instead of warm-starting anew")
  Path reuseWarmStart;

  @Option(names = "--smoke", description = "a tiny run of about a minute (small world and model)")
  boolean smoke;

  @Override
  public Integer call() {
    deviceOption.select(); // before any tensor: the job's models go there
    InterferenceConfig c = config();
    OutputDir.requireNew(out, "--out");
    InterferenceResult r = Interference.run(c, out, reuseWarmStart);
    print(r);
    return 0;
  }

  /** The job's configuration from the options (package-private: tests check the mapping). */
  InterferenceConfig config() {
    InterferenceConfig.Builder b =
        (smoke ? InterferenceConfig.smoke() : InterferenceConfig.defaults()).toBuilder();
    try {
      if (base != null) {
        switch (base) {
          case "small" -> {}
          case "quickstart" -> b.warmStart(QuickstartConfig.defaults());
          default ->
              throw new IllegalArgumentException("--base must be small or quickstart, got " + base);
        }
      }
      // the world preset before the other knobs, so --sft-epochs etc. apply on top of it
      b.warmStart(worldOption.apply(b.build().warmStart(), spec.commandLine()));
      if (seed != null) {
        b.seed(seed);
      }
      if (questions != null) {
        b.questions(questions);
      }
      if (samples != null) {
        b.samples(samples);
      }
      if (grpoSteps != null) {
        b.grpoSteps(grpoSteps);
      }
      if (temperature != null) {
        b.temperature(temperature);
      }
      if (sftEpochs != null) {
        InterferenceConfig now = b.build();
        b.warmStart(
            now.warmStart().withSft(now.warmStart().sft().toBuilder().epochs(sftEpochs).build()));
      }
      if (probeQueries != null) {
        b.probeQueries(probeQueries);
      }
      if (groupSize != null) {
        b.probeGroupSize(groupSize);
      }
      if (probeOn != null) {
        b.probeTargets(probeOn.stream().map(ProbeTarget::of).toList());
      }
      if (hybrid != null) {
        b.hybridMode(LeasCommand.parse(HybridMode.class, "--hybrid", hybrid));
      }
      if (questionsPerBatch != null) {
        b.questionsPerBatch(questionsPerBatch);
      }
      if (budgetMinutes != null) {
        b.budgetMinutes(budgetMinutes);
      }
      // after --seed: the builder's seed() also reseeds the variant policy
      if (loraRank != null) {
        b.variantPolicy(named("--lora-rank", () -> b.build().variantPolicy().withRank(loraRank)));
      }
      if (loraTargets != null) {
        b.variantPolicy(
            named(
                "--lora-targets",
                () -> b.build().variantPolicy().withTargets(new LinkedHashSet<>(loraTargets))));
      }
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** {@code value}, or its error prefixed with the option that caused it. */
  private static <T> T named(String option, Supplier<T> value) {
    try {
      return value.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  private void print(InterferenceResult r) {
    PrintWriter w = spec.commandLine().getOut();
    String variants =
        Arrays.stream(new String[] {"Base", "Reas", "Tool", "Unified"})
            .map(
                name ->
                    name
                        + " "
                        + String.format(
                            Locale.ROOT,
                            "%.3f",
                            name.equals("Base")
                                ? r.base().exactMatch()
                                : r.variants().stream()
                                    .filter(v -> v.name().equals(name))
                                    .findFirst()
                                    .orElseThrow()
                                    .greedy()
                                    .exactMatch()))
            .reduce((x, y) -> x + ", " + y)
            .orElse("");
    w.println("greedy EM: " + variants);
    if (r.attribution().ok()) {
      var l23 = r.attribution().result().lambda23().negativeFraction();
      var nul = r.attribution().result().lambda23Null();
      w.printf(
          Locale.ROOT,
          "lambda23 < 0 on %.1f%% [%.1f%%, %.1f%%] of %d kept questions; identical-models null"
              + " %.1f%% [%.1f%%, %.1f%%], p = %.3g%n",
          100 * l23.estimate(),
          100 * l23.lower(),
          100 * l23.upper(),
          r.attribution().result().keptQuestions(),
          100 * nul.mean(),
          100 * nul.lower(),
          100 * nul.upper(),
          nul.pValue());
    } else {
      w.println("no attribution: " + r.attribution().error());
    }
    w.println("results in " + out.resolve("summary.md"));
    w.flush();
  }
}

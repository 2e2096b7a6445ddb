package io.github.dartrl.examples.cli;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.Devices;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.leas.attribution.AttributionConfig;
import io.github.dartrl.leas.attribution.AttributionResult;
import io.github.dartrl.leas.attribution.AttributionRun;
import io.github.dartrl.leas.attribution.AttributionRunner;
import io.github.dartrl.leas.attribution.CountTable;
import io.github.dartrl.leas.attribution.InterferenceAttribution;
import io.github.dartrl.leas.attribution.Smoothing;
import io.github.dartrl.leas.probe.BatchSplitConfig;
import io.github.dartrl.leas.probe.GradientAngleProbe;
import io.github.dartrl.leas.probe.ProbeConfig;
import io.github.dartrl.leas.probe.ProbeRun;
import io.github.dartrl.leas.report.AttributionReport;
import io.github.dartrl.leas.report.BatchProbeReport;
import io.github.dartrl.leas.report.ProbeReport;
import io.github.dartrl.leas.variant.HybridMode;
import io.github.dartrl.leas.variant.VariantSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j leas}: measures reasoning/tool-use interference (LEAS, called CEA in paper v2).
 * {@code leas probe} runs the gradient-angle probe on one policy; {@code leas attribution} samples
 * six model variants and attributes per-question interaction coefficients (or re-analyses a saved
 * count table). See docs/leas.md.
 */
@Command(
    name = "leas",
    mixinStandardHelpOptions = true,
    description = "Measure reasoning/tool-use interference (gradient angles, CEA attribution).",
    subcommands = {LeasCommand.Probe.class, LeasCommand.Attribution.class})
public final class LeasCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code leas probe}. */
  @Command(
      name = "probe",
      mixinStandardHelpOptions = true,
      description = {
        "Gradient-angle probe: per question G rollouts, GRPO advantages, and per trajectory the"
            + " angle between the reasoning-token and tool-token policy gradients, vs same-role"
            + " angles across trajectories.",
        "Writes probe.json, probe_*.csv, angles.png, angles_by_layer.png and probe_summary.md"
            + " into --out, and prints the summary.",
        "With --batch-splits N, also the batch-level probe on the same rollouts:"
            + " batch_angles.jsonl/.csv, batch_summary.json/.md and batch_angles.png."
      })
  public static final class Probe implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin LeasRolloutOptions opts;

    @Option(
        names = {"--model", "-m"},
        required = true,
        description = "HF model directory")
    Path model;

    @Option(
        names = "--adapters",
        description =
            "adapter directory (dart.json), or a plain PEFT LoRA directory (loaded as LORA);"
                + " default: fresh adapters of --method")
    Path adapters;

    @Option(
        names = "--method",
        defaultValue = "lora",
        description =
            "without --adapters: lora (a fresh single adapter) or full (all weights)"
                + " (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--rank", defaultValue = "16", description = "rank of a fresh LORA adapter")
    int rank;

    @Option(
        names = "--group-size",
        defaultValue = "16",
        description = "G (default: ${DEFAULT-VALUE})")
    int groupSize;

    @Option(
        names = "--queries-per-rollout",
        defaultValue = "2",
        description = "queries rolled out together (default: ${DEFAULT-VALUE})")
    int queriesPerRollout;

    @Option(
        names = "--batch-splits",
        defaultValue = "0",
        paramLabel = "N",
        description =
            "also run the batch-level probe: N random splits of the mixed-reward groups into two"
                + " halves, angles between the halves' summed role gradients (0 = off; e.g. 200)"
                + " (default: ${DEFAULT-VALUE})")
    int batchSplits;

    @Option(
        names = "--batch-seed",
        paramLabel = "SEED",
        description = "seed of the batch splits (default: --seed)")
    Long batchSeed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "report directory")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (batchSplits < 0 || batchSplits > BatchSplitConfig.MAX_SPLITS) {
        throw new ParameterException(
            spec.commandLine(),
            "--batch-splits must be in [0, "
                + BatchSplitConfig.MAX_SPLITS
                + "], got "
                + batchSplits);
      }
      opts.requireDataAndIndex(spec);
      checkModelDir(model);
      OutputDir.requireNew(out, "--out"); // an earlier report is never overwritten
      if (adapters != null && !Files.isRegularFile(adapters.resolve(PolicyCheckpoint.DART_FILE))) {
        throw new IllegalArgumentException(adapters + " is not an adapter directory: no dart.json");
      }
      List<QaExample> questions = opts.questions();
      ProbeConfig config =
          new ProbeConfig(
              groupSize,
              queriesPerRollout,
              true,
              opts.seed,
              ProbeConfig.defaults().histogramBins());
      try (NDManager root = Devices.newRoot(opts.deviceOption.select());
          DecoderModel m = HfCheckpoint.load(model, root);
          TextTokenizer tok = TextTokenizer.load(model);
          Policy policy =
              adapters != null
                  ? PolicyCheckpoint.isPlainPeft(adapters)
                      ? PolicyCheckpoint.loadPeft(
                          m, adapters, PolicyConfig.lora().withSeed(opts.seed), tok)
                      : PolicyCheckpoint.load(m, adapters, tok)
                  : Policy.create(
                      m,
                      PolicyConfig.of(parse(Method.class, "--method", method), rank)
                          .withSeed(opts.seed),
                      tok);
          LuceneBm25Retriever retriever = LuceneBm25Retriever.open(opts.index);
          GradientAngleProbe probe =
              GradientAngleProbe.builder()
                  .setPolicy(policy)
                  .setTokenizer(tok)
                  .setRetriever(retriever)
                  .optTemplate(opts.promptTemplate(model))
                  .optRollout(opts.rollout())
                  .optConfig(config)
                  .build()) {
        ProbeRun run =
            batchSplits == 0
                ? new ProbeRun(probe.run(questions), null, null)
                : probe.run(
                    questions,
                    new BatchSplitConfig(
                        batchSplits,
                        batchSeed == null ? opts.seed : batchSeed,
                        config.histogramBins()));
        String md = ProbeReport.write(run.trajectories(), out);
        spec.commandLine().getOut().println(md);
        if (run.hasBatch()) {
          spec.commandLine().getOut().println(BatchProbeReport.write(run.batch(), out));
        }
        spec.commandLine()
            .getOut()
            .println("report written to " + out.toAbsolutePath().normalize());
        spec.commandLine().getOut().flush();
        if (batchSplits > 0 && !run.hasBatch()) {
          // the per-trajectory report is written; the batch level asked for could not be measured
          spec.commandLine()
              .getErr()
              .println("batch-level angles not measured: " + run.batchError());
          spec.commandLine().getErr().flush();
          return 1;
        }
      }
      return 0;
    }
  }

  /** {@code leas attribution}. */
  @Command(
      name = "attribution",
      mixinStandardHelpOptions = true,
      description = {
        "CEA/LEAS attribution: sample N answers per question from Base, Reas, Tool, Unified and"
            + " the hybrids H_Tool (Base reasons, Tool searches) and H_Reas (Reas reasons, Base"
            + " searches); z = logit of the smoothed EM rate; lambda = X^-1 z per question.",
        "Reas/Tool/Unified are single-LoRA adapter directories trained on --base, or full HF model"
            + " directories with the same tokenizer.",
        "With --counts FILE, re-analyses a saved count table instead of sampling.",
        "Writes counts.jsonl (when sampling), attribution.json/.csv, lambda*.png,"
            + " lambda23_null.csv and attribution_summary.md into --out, and prints the summary"
            + " (with the fraction lambda23 < 0 against its identical-models null)."
      })
  public static final class Attribution implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin LeasRolloutOptions opts;

    @Option(names = "--base", description = "HF model directory of the base model")
    Path base;

    @Option(names = "--reas", description = "Reas: adapter or model directory")
    Path reas;

    @Option(names = "--tool", description = "Tool: adapter or model directory")
    Path tool;

    @Option(names = "--unified", description = "Unified: adapter or model directory")
    Path unified;

    @Option(names = "--counts", paramLabel = "FILE", description = "re-analyse this counts.jsonl")
    Path counts;

    @Option(
        names = "--samples",
        defaultValue = "50",
        description = "N per question and model (default: ${DEFAULT-VALUE})")
    int samples;

    @Option(
        names = "--questions-per-batch",
        defaultValue = "4",
        description = "questions rolled out together (default: ${DEFAULT-VALUE})")
    int questionsPerBatch;

    @Option(
        names = "--hybrid",
        defaultValue = "handoff",
        description =
            "handoff (two KV caches, exact two-model hybrids) or routed (adapters"
                + " switched per position on one cache) (default: ${DEFAULT-VALUE})")
    String hybrid;

    @Option(
        names = "--smoothing",
        defaultValue = "add-half",
        description =
            "add-half: (k+0.5)/(N+1); clip: k/N clipped to [1/2N, 1-1/2N]"
                + " (default: ${DEFAULT-VALUE})")
    String smoothing;

    @Option(
        names = "--bootstrap",
        defaultValue = "10000",
        description = "bootstrap resamples (default: ${DEFAULT-VALUE})")
    int bootstrap;

    @Option(
        names = "--level",
        defaultValue = "0.95",
        description = "CI level (default: ${DEFAULT-VALUE})")
    double level;

    @Option(
        names = "--bootstrap-seed",
        defaultValue = "0",
        description = "bootstrap seed (default: ${DEFAULT-VALUE})")
    long bootstrapSeed;

    @Option(
        names = "--null-replicates",
        defaultValue = "2000",
        paramLabel = "R",
        description =
            "replicates of the identical-models null of the fraction lambda23 < 0"
                + " (default: ${DEFAULT-VALUE})")
    int nullReplicates;

    @Option(
        names = "--bins",
        defaultValue = "30",
        description = "histogram bins (default: ${DEFAULT-VALUE})")
    int bins;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "report directory")
    Path out;

    @Override
    public Integer call() throws Exception {
      AttributionConfig config;
      try {
        config =
            new AttributionConfig(
                parse(Smoothing.class, "--smoothing", smoothing),
                bootstrap,
                level,
                bootstrapSeed,
                bins,
                nullReplicates);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      OutputDir.requireNew(out, "--out"); // an earlier report is never overwritten
      CountTable table;
      AttributionRun run = null;
      if (counts != null) {
        if (base != null || reas != null || tool != null || unified != null) {
          throw new ParameterException(
              spec.commandLine(), "--counts re-analyses a table; do not pass model directories");
        }
        if (!Files.isRegularFile(counts)) {
          throw new IllegalArgumentException("counts file not found: " + counts);
        }
        table = CountTable.read(counts);
      } else {
        if (base == null || reas == null || tool == null || unified == null) {
          throw new ParameterException(
              spec.commandLine(),
              "--base, --reas, --tool and --unified are required (or --counts FILE)");
        }
        opts.requireDataAndIndex(spec);
        List<QaExample> questions = opts.questions();
        try (NDManager root = Devices.newRoot(opts.deviceOption.select());
            VariantSet variants = VariantSet.load(base, reas, tool, unified, root);
            LuceneBm25Retriever retriever = LuceneBm25Retriever.open(opts.index)) {
          run =
              AttributionRunner.builder()
                  .setVariants(variants)
                  .setRetriever(retriever)
                  .optTemplate(opts.promptTemplate(base))
                  .optRollout(opts.rollout())
                  .optHybridMode(parse(HybridMode.class, "--hybrid", hybrid))
                  .optSamples(samples)
                  .optQuestionsPerBatch(questionsPerBatch)
                  .optSeed(opts.seed)
                  .build()
                  .run(questions);
        }
        table = run.counts();
        // the raw counts are kept even if the analysis finds nothing to attribute
        table.write(out.resolve("counts.jsonl"));
      }
      AttributionResult r = InterferenceAttribution.analyze(table, config);
      String md = AttributionReport.write(r, run, out);
      spec.commandLine().getOut().println(md);
      spec.commandLine().getOut().println("report written to " + out.toAbsolutePath().normalize());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  private static void checkModelDir(Path model) {
    if (!Files.isDirectory(model)) {
      throw new IllegalArgumentException("model directory not found: " + model);
    }
    for (String f : new String[] {"config.json", "tokenizer.json"}) {
      if (!Files.isRegularFile(model.resolve(f))) {
        throw new IllegalArgumentException(model + " is not a model directory: no " + f);
      }
    }
  }

  /** Parses an enum option case-insensitively, {@code add-half} as {@code ADD_HALF}. */
  static <E extends Enum<E>> E parse(Class<E> type, String option, String value) {
    try {
      return Enum.valueOf(type, value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown "
              + option
              + " "
              + value
              + "; expected one of "
              + java.util.Arrays.toString(type.getEnumConstants()));
    }
  }
}

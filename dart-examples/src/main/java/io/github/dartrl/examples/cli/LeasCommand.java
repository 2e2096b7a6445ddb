package io.github.dartrl.examples.cli;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.Devices;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.leas.attribution.AttributionConfig;
import io.github.dartrl.leas.attribution.AttributionResult;
import io.github.dartrl.leas.attribution.AttributionRun;
import io.github.dartrl.leas.attribution.AttributionRunner;
import io.github.dartrl.leas.attribution.CountTable;
import io.github.dartrl.leas.attribution.InterferenceAttribution;
import io.github.dartrl.leas.attribution.SamplingStreams;
import io.github.dartrl.leas.attribution.Smoothing;
import io.github.dartrl.leas.report.AttributionReport;
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
 * count table); {@code leas controls} puts finished interference runs side by side; {@code leas
 * power} measures how large an interaction the λ23 reading would detect. See docs/leas.md.
 */
@Command(
    name = "leas",
    mixinStandardHelpOptions = true,
    description = "Measure reasoning/tool-use interference (gradient angles, CEA attribution).",
    subcommands = {
      LeasProbeCommand.class,
      LeasCommand.Attribution.class,
      LeasControlsCommand.class,
      LeasPowerCommand.class
    })
public final class LeasCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
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
        names = "--streams",
        defaultValue = "independent",
        description =
            "independent (each variant its own random stream: what the identical-models null"
                + " assumes) or common (common random numbers: coupled counts, the null does not"
                + " apply) (default: ${DEFAULT-VALUE})")
    String streams;

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
                  .optStreams(parse(SamplingStreams.class, "--streams", streams))
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

  static void checkModelDir(Path model) {
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

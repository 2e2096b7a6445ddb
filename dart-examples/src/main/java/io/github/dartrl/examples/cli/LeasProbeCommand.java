package io.github.dartrl.examples.cli;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.Devices;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.tool.sql.SqlExecutor;
import io.github.dartrl.grpo.tool.sql.SqlLimits;
import io.github.dartrl.grpo.tool.sql.SqlTool;
import io.github.dartrl.leas.probe.BatchSplitConfig;
import io.github.dartrl.leas.probe.GradientAngleProbe;
import io.github.dartrl.leas.probe.ProbeConfig;
import io.github.dartrl.leas.probe.ProbeRun;
import io.github.dartrl.leas.report.BatchProbeReport;
import io.github.dartrl.leas.report.ProbeReport;
import io.github.dartrl.leas.report.RolePairReport;
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

/** {@code dart4j leas probe}: the gradient-angle probe on one policy (docs/leas.md). */
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
public final class LeasProbeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin LeasRolloutOptions opts;
  @Mixin RewardOption rewardOption;

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

  @Option(
      names = "--sql-tables",
      paramLabel = "FILE",
      description =
          "a SQL script (the world's tables.sql) opened as the <sql> tool beside search: the"
              + " roles are then reasoning, search and sql, and --batch-splits also measures"
              + " every pair of them (role_pairs.*)")
  Path sqlTables;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "report directory")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (sqlTables != null && !Files.isRegularFile(sqlTables)) {
      throw new IllegalArgumentException("--sql-tables: " + sqlTables + " is not a file");
    }
    if (batchSplits < 0 || batchSplits > BatchSplitConfig.MAX_SPLITS) {
      throw new ParameterException(
          spec.commandLine(),
          "--batch-splits must be in [0, " + BatchSplitConfig.MAX_SPLITS + "], got " + batchSplits);
    }
    opts.requireDataAndIndex(spec);
    LeasCommand.checkModelDir(model);
    OutputDir.requireNew(out, "--out"); // an earlier report is never overwritten
    if (adapters != null && !Files.isRegularFile(adapters.resolve(PolicyCheckpoint.DART_FILE))) {
      throw new IllegalArgumentException(adapters + " is not an adapter directory: no dart.json");
    }
    List<QaExample> questions = opts.questions();
    ProbeConfig config =
        new ProbeConfig(
            groupSize, queriesPerRollout, true, opts.seed, ProbeConfig.defaults().histogramBins());
    // with SQL the router must know both spans; a loaded adapter directory brings its own
    List<ToolSpan> spans =
        sqlTables == null ? List.of(ToolSpan.search()) : List.of(ToolSpan.search(), ToolSpan.sql());
    try (NDManager root = Devices.newRoot(opts.deviceOption.select());
        DecoderModel m = HfCheckpoint.load(model, root);
        TextTokenizer tok = TextTokenizer.load(model);
        SqlExecutor sql =
            sqlTables == null ? null : SqlExecutor.fromScript(sqlTables, SqlLimits.defaults());
        Policy policy =
            adapters != null
                ? PolicyCheckpoint.isPlainPeft(adapters)
                    ? PolicyCheckpoint.loadPeft(
                        m, adapters, PolicyConfig.lora().withSpans(spans).withSeed(opts.seed), tok)
                    : PolicyCheckpoint.load(m, adapters, tok)
                : Policy.create(
                    m,
                    PolicyConfig.of(LeasCommand.parse(Method.class, "--method", method), rank)
                        .withSpans(spans)
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
                .optReward(RewardFunctions.named(rewardOption.reward))
                .optExtraTools(sql == null ? List.of() : List.of(new SqlTool(sql)))
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
      if (run.hasRolePairs()) {
        spec.commandLine().getOut().println(RolePairReport.write(run.rolePairs(), out));
      } else if (run.rolePairsError() != null) {
        spec.commandLine()
            .getErr()
            .println("role-pair angles not measured: " + run.rolePairsError());
      }
      spec.commandLine().getOut().println("report written to " + out.toAbsolutePath().normalize());
      spec.commandLine().getOut().flush();
      if (batchSplits > 0 && !run.hasBatch()) {
        // the per-trajectory report is written; the batch level asked for could not be measured
        spec.commandLine().getErr().println("batch-level angles not measured: " + run.batchError());
        spec.commandLine().getErr().flush();
        return 1;
      }
    }
    return 0;
  }
}

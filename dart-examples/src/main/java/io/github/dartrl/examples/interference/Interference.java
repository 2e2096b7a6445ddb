package io.github.dartrl.examples.interference;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.harness.Machine;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.interference.InterferenceResult.AttributionOutcome;
import io.github.dartrl.examples.interference.InterferenceResult.ProbeOutcome;
import io.github.dartrl.examples.quickstart.WarmStart;
import io.github.dartrl.examples.quickstart.WarmStartReuse;
import io.github.dartrl.examples.world.Split;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.leas.attribution.AttributionResult;
import io.github.dartrl.leas.attribution.AttributionRun;
import io.github.dartrl.leas.attribution.AttributionRunner;
import io.github.dartrl.leas.attribution.InterferenceAttribution;
import io.github.dartrl.leas.probe.BatchSplitConfig;
import io.github.dartrl.leas.probe.GradientAngleProbe;
import io.github.dartrl.leas.probe.ProbeConfig;
import io.github.dartrl.leas.probe.ProbeRun;
import io.github.dartrl.leas.report.AttributionReport;
import io.github.dartrl.leas.report.BatchProbeReport;
import io.github.dartrl.leas.report.ProbeReport;
import io.github.dartrl.leas.variant.VariantSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The interference job on the bundled world (LEAS/CEA, paper v2 §4), as one sequence of phases:
 *
 * <ol>
 *   <li>warm start ({@link WarmStart}: world, BM25 index, tiny model, SFT) → {@code model-sft/} is
 *       <b>Base</b>;
 *   <li>Base's greedy EM, then GRPO from Base for <b>Unified</b> (loss on all sampled tokens),
 *       <b>Reas</b> (REASONING tokens only) and <b>Tool</b> (TOOL tokens only): one LoRA adapter
 *       each, same data, seed, steps and hyperparameters ({@code grpo-*}/, {@code variants/*}/),
 *       each evaluated greedily;
 *   <li>attribution: the six variants (with the hybrids H_Tool and H_Reas) × N samples on a seeded
 *       sample of the test split, per-question λ, fraction λ23 &lt; 0 with a bootstrap CI, the λ23
 *       histogram with the accuracy overlay ({@code attribution/});
 *   <li>the gradient-angle probe on each configured target ({@code probe/<target>/});
 *   <li>{@code summary.md}, {@code summary.json} and {@code plots/}.
 * </ol>
 *
 * <p>A time budget is split after the warm start: the three GRPO runs may use 45% of what is left
 * (Unified stops early and the others repeat its step count), the attribution samples questions
 * until what remains is about what the probe and the report need (a fifth of what was left after
 * GRPO). The summary records the steps and questions that actually ran.
 *
 * <p>Everything is written into one output directory, which must be empty or absent.
 */
public final class Interference {
  private static final Logger LOG = LoggerFactory.getLogger(Interference.class);
  private static final double GRPO_SHARE = 0.45;
  private static final double PROBE_SHARE = 0.2;

  private Interference() {}

  /**
   * Runs the job.
   *
   * @param config what to run
   * @param out the output directory (created; must be empty if it exists)
   * @return the measured results (also written to {@code out/summary.md})
   */
  public static InterferenceResult run(InterferenceConfig config, Path out) {
    return run(config, out, null);
  }

  /**
   * Runs the job, reusing the warm start (world, index, Base, SFT metrics) of an earlier run.
   *
   * @param reuseWarmStart an earlier interference or quickstart output directory generated from the
   *     same world configuration, or null to warm-start anew
   */
  public static InterferenceResult run(InterferenceConfig config, Path out, Path reuseWarmStart) {
    try {
      return runChecked(config, out, reuseWarmStart);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InterferenceResult runChecked(InterferenceConfig c, Path out, Path reuse)
      throws IOException {
    OutputDir.createNew(out, "--out");
    int probes = c.probeQueries() > 0 ? c.probeTargets().size() : 0;
    Phases phases =
        new Phases(
            (reuse == null ? WarmStart.PHASES : 1) + VariantTraining.ORDER.size() + 2 + probes,
            c.budgetMinutes());

    WarmStart warm =
        reuse == null
            ? WarmStart.run(
                c.warmStartConfig(), out, phases, WarmStart.DemonstrationsListener.none())
            : WarmStartReuse.copy(c.warmStart().world(), reuse, out, phases);
    QaDataset train = QaDataset.readJsonl(warm.worldDir().resolve(Split.TRAIN.fileName()));
    List<QaExample> test =
        new ArrayList<>(
            QaDataset.readJsonl(warm.worldDir().resolve(Split.TEST.fileName())).examples());
    // a seeded shuffle: the file lists question kinds in blocks, and a budget may cut the list
    Collections.shuffle(test, new Random(c.grpo().seed()));
    List<QaExample> questions = test.subList(0, Math.min(c.questions(), test.size()));
    List<QaExample> probeQuestions = test.subList(0, Math.min(c.probeQueries(), test.size()));

    VariantTraining.Trained trained;
    AttributionOutcome attribution;
    List<ProbeOutcome> probeOutcomes = new ArrayList<>();
    try (LuceneBm25Retriever retriever = LuceneBm25Retriever.open(warm.indexDir())) {
      double grpoSeconds = GRPO_SHARE * phases.remainingSeconds();
      trained =
          VariantTraining.trainAll(
              c, warm, retriever, train, QaDataset.of(questions), out, phases, grpoSeconds);

      phases.start("attribution");
      double limit = phases.remainingSeconds() * (1 - PROBE_SHARE) - 20;
      attribution = attribute(c, warm, retriever, questions, out.resolve("attribution"), limit);
      phases.done(describe(attribution));

      if (probes > 0) {
        for (ProbeTarget t : c.probeTargets()) {
          phases.start("probe " + t.label());
          ProbeOutcome p = probe(c, warm, retriever, t, probeQuestions, out.resolve("probe"));
          probeOutcomes.add(p);
          phases.done(describe(p));
        }
      }
    }
    phases.start("report");
    InterferenceResult r =
        new InterferenceResult(
            c,
            out,
            warm,
            reuse,
            questions.size(),
            probeQuestions.size(),
            trained.base(),
            trained.variants(),
            attribution,
            probeOutcomes,
            phases.timings(),
            phases.cpuSeconds(),
            Machine.loadAverage());
    InterferenceReport.write(r);
    phases.done("results in " + out.resolve("summary.md"));
    return r;
  }

  private static AttributionOutcome attribute(
      InterferenceConfig c,
      WarmStart warm,
      Retriever retriever,
      List<QaExample> questions,
      Path dir,
      double limitSeconds)
      throws IOException {
    long t0 = System.nanoTime();
    Path variants = dir.getParent().resolve("variants");
    AttributionRun run;
    try (NDManager root = JobDevice.newRoot();
        VariantSet v =
            VariantSet.load(
                warm.warmModel(),
                variants.resolve("reas"),
                variants.resolve("tool"),
                variants.resolve("unified"),
                root)) {
      AttributionRunner.Builder b =
          AttributionRunner.builder()
              .setVariants(v)
              .setRetriever(retriever)
              .optTemplate(c.warmStart().template())
              .optRollout(c.grpo().rollout())
              .optHybridMode(c.hybridMode())
              .optSamples(c.samples())
              .optQuestionsPerBatch(c.questionsPerBatch())
              .optSeed(c.grpo().seed());
      if (Double.isFinite(limitSeconds)) {
        b.optTimeLimit(Duration.ofMillis(Math.max(1000, Math.round(limitSeconds * 1000))));
      }
      run = b.build().run(questions);
    }
    // the raw counts are kept even if the analysis finds nothing to attribute
    run.counts().write(dir.resolve("counts.jsonl"));
    try {
      AttributionResult result = InterferenceAttribution.analyze(run.counts(), c.attribution());
      AttributionReport.write(result, run, dir);
      return new AttributionOutcome(run, result, null, seconds(t0));
    } catch (IllegalArgumentException | IllegalStateException e) {
      LOG.warn("no attribution: {}", e.getMessage());
      return new AttributionOutcome(run, null, e.getMessage(), seconds(t0));
    }
  }

  private static ProbeOutcome probe(
      InterferenceConfig c,
      WarmStart warm,
      Retriever retriever,
      ProbeTarget target,
      List<QaExample> queries,
      Path dir)
      throws IOException {
    long t0 = System.nanoTime();
    ProbeConfig pc =
        ProbeConfig.defaults().withGroupSize(c.probeGroupSize()).withSeed(c.grpo().seed());
    try (NDManager root = JobDevice.newRoot();
        DecoderModel model = HfCheckpoint.load(warm.warmModel(), root);
        TextTokenizer tok = TextTokenizer.load(warm.warmModel());
        Policy policy =
            switch (target) {
              case BASE_LORA -> Policy.create(model, c.variantPolicy(), tok);
              case BASE_FULL -> Policy.create(model, PolicyConfig.of(Method.FULL, 1), tok);
              case UNIFIED_LORA ->
                  PolicyCheckpoint.load(
                      model, dir.getParent().resolve("variants").resolve("unified"), tok);
            };
        GradientAngleProbe probe =
            GradientAngleProbe.builder()
                .setPolicy(policy)
                .setTokenizer(tok)
                .setRetriever(retriever)
                .optTemplate(c.warmStart().template())
                .optRollout(c.grpo().rollout())
                .optConfig(pc)
                .build()) {
      ProbeRun r;
      try {
        // the batch level reuses the per-trajectory gradients: its splits cost next to nothing
        r = probe.run(queries, BatchSplitConfig.defaults().withSeed(c.grpo().seed()));
      } catch (IllegalStateException e) {
        // nothing to compare (no query with mixed rewards, or no trajectory with both roles)
        LOG.warn("probe {}: {}", target.label(), e.getMessage());
        return new ProbeOutcome(target, null, e.getMessage(), null, null, seconds(t0));
      }
      Path own = dir.resolve(target.label());
      ProbeReport.write(r.trajectories(), own);
      if (r.hasBatch()) {
        BatchProbeReport.write(r.batch(), own);
      }
      return new ProbeOutcome(
          target, r.trajectories(), null, r.batch(), r.batchError(), seconds(t0));
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String describe(AttributionOutcome a) {
    if (!a.ok()) {
      return "no attribution: " + a.error();
    }
    var l23 = a.result().lambda23();
    var nul = a.result().lambda23Null();
    return String.format(
        java.util.Locale.ROOT,
        "%d questions sampled, %d kept; λ23 < 0 on %.1f%% [%.1f%%, %.1f%%], identical-models"
            + " null %.1f%% [%.1f%%, %.1f%%], p = %.3g",
        a.result().totalQuestions(),
        a.result().keptQuestions(),
        100 * l23.negativeFraction().estimate(),
        100 * l23.negativeFraction().lower(),
        100 * l23.negativeFraction().upper(),
        100 * nul.mean(),
        100 * nul.lower(),
        100 * nul.upper(),
        nul.pValue());
  }

  private static String describe(ProbeOutcome p) {
    if (!p.ok()) {
      return "no angles: " + p.error();
    }
    var inter = p.result().summaries().get(io.github.dartrl.leas.probe.PairKind.INTER_ROLE);
    var test = p.result().tests().get("inter_role_vs_same_role");
    return String.format(
            java.util.Locale.ROOT,
            "%d of %d queries with mixed rewards; inter-role median %.1f°, same-role median %.1f°,"
                + " Wilcoxon p = %.3g",
            p.result().counts().mixedGroups(),
            p.result().counts().queries(),
            inter.median(),
            p.result().sameRole().median(),
            test == null ? Double.NaN : test.pValue())
        + (p.hasBatch()
            ? String.format(
                java.util.Locale.ROOT,
                "; batch splits: inter-role median %.1f°, same-role median %.1f°, inter > same in"
                    + " %.0f%% of %d splits",
                p.batch()
                    .summaries()
                    .get(io.github.dartrl.leas.probe.BatchKind.INTER_ROLE)
                    .median(),
                p.batch().summaries().get(io.github.dartrl.leas.probe.BatchKind.SAME_ROLE).median(),
                100
                    * p.batch()
                        .tests()
                        .get(io.github.dartrl.leas.probe.BatchSplitAngles.VS_SAME_ROLE)
                        .fractionGreater(),
                p.batch().splits().size())
            : "; no batch-split angles: " + p.batchError());
  }
}

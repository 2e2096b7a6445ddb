package io.github.dartrl.examples.compare;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.io.FileTrees;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.harness.Machine;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.examples.harness.PeakMemory;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.quickstart.QuickstartConfig;
import io.github.dartrl.examples.quickstart.WarmStart;
import io.github.dartrl.examples.world.Split;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.train.EvalResult;
import io.github.dartrl.grpo.train.Evaluator;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.Trainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DART vs single LoRA vs full fine-tuning vs 2-Agent on the same world, seeds and step count:
 *
 * <ol>
 *   <li>per seed, the {@link WarmStart} once ({@code seed-S/}: world, BM25 index, tiny model, SFT
 *       warm start saved as {@code seed-S/model-sft/}) and its greedy EM on the test split — every
 *       method of the seed starts from exactly this function (adapters with B = 0, a copy of the
 *       backbone, or two copies for 2-Agent);
 *   <li>with a time budget, a probe step of each method (thrown away; the first method probed runs
 *       two and keeps the second, past the warm-up) measures the cost per step, and {@link
 *       StepPlan} scales the step count down uniformly so that every run gets the same number of
 *       steps (a run still stops early if the budget is spent, and the table then shows the steps
 *       it got);
 *   <li>per seed and method, a fresh copy of the warm-started model is loaded and trained with the
 *       same GRPO config, reward, data order and sampling seeds ({@code seed-S/METHOD/grpo/}: the
 *       trainer's metrics, plots and checkpoint), evaluated, and its adapters (PEFT) or models (HF)
 *       saved;
 *   <li>{@code results.jsonl}, {@code results.csv}, {@code summary.md}, {@code summary.json} and
 *       {@code plots/} ({@link CompareReport}).
 * </ol>
 *
 * <p>The only per-method differences are the parameterisation and, for the methods that train the
 * backbone, the learning rate ({@link CompareConfig#fullLrRatio}).
 */
public final class Compare {
  private static final Logger LOG = LoggerFactory.getLogger(Compare.class);
  private static final int CHUNK_STEPS = 5;
  private static final double REPORT_SECONDS = 30;

  private Compare() {}

  /**
   * Runs the comparison into {@code out} (created; must be empty if it exists).
   *
   * @return every run's numbers (also written to {@code out/summary.md} and {@code results.*})
   */
  public static CompareResult run(CompareConfig config, Path out) {
    try {
      return runChecked(config, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CompareResult runChecked(CompareConfig c, Path out) throws IOException {
    OutputDir.createNew(out, "--out");
    Map<String, String> environment = new LinkedHashMap<>(Machine.describe());
    environment.put("load_start", Machine.loadAverage());
    QuickstartConfig base = c.base();
    boolean budgeted = base.budgetMinutes() > 0;
    int seeds = c.seeds().size();
    int runs = seeds * c.methods().size();
    Start shared = c.warmStart() == null ? null : Start.load(c.warmStart(), base);
    int evals = shared == null ? seeds : 1;
    Phases phases =
        new Phases(
            (shared == null ? seeds * WarmStart.PHASES : 0) + evals + runs + (budgeted ? 1 : 0),
            base.budgetMinutes());

    List<RunResult> results = new ArrayList<>();
    Map<Long, EvalResult> warmEvals = new LinkedHashMap<>();
    Map<Long, Double> warmLoss = new LinkedHashMap<>();
    StepPlan plan = budgeted ? null : StepPlan.unlimited(c.grpoSteps());
    double warmSeconds = 0;
    double warmEvalSeconds = 0;
    EvalResult sharedBefore = null;
    int done = 0;
    double runSecondsSum = 0;
    for (long seed : c.seeds()) {
      QuickstartConfig sc = base.withSeed(seed);
      Path seedDir = out.resolve("seed-" + seed);
      Files.createDirectories(seedDir);
      double t0 = phases.elapsedSeconds();
      Start start =
          shared != null
              ? shared
              : Start.of(
                  WarmStart.run(sc, seedDir, phases, WarmStart.DemonstrationsListener.none()));
      warmLoss.put(seed, start.sftFinalLoss());
      QaDataset train = QaDataset.readJsonl(start.worldDir().resolve(Split.TRAIN.fileName()));
      QaDataset test =
          limit(QaDataset.readJsonl(start.worldDir().resolve(Split.TEST.fileName())), sc);

      EvalResult before;
      if (sharedBefore != null) {
        before = sharedBefore; // the same model, greedy: the same numbers
      } else {
        phases.start(shared != null ? "eval warm start" : "eval warm start (seed " + seed + ")");
        before = evaluateWarmStart(c, sc, start, test, seed, out);
        warmEvalSeconds = phases.done(describe(before));
        if (shared != null) {
          sharedBefore = before;
        }
      }
      warmEvals.put(seed, before);
      if (shared == null) {
        warmSeconds = phases.elapsedSeconds() - t0;
      }

      if (plan == null) {
        phases.start("probe (one step per method, for the step budget)");
        Map<CompareMethod, Double> perStep = probe(c, sc, start, train, seedDir);
        double fixed = (seeds - 1) * warmSeconds + REPORT_SECONDS;
        for (CompareMethod m : c.methods()) {
          fixed += seeds * warmEvalSeconds * (m.needsToolAgent() ? 2.0 : 1.2);
        }
        plan = StepPlan.fit(c.grpoSteps(), phases.remainingSeconds(), fixed, perStep, seeds);
        phases.done(plan.steps() + " steps per run: " + plan.explanation());
      }

      for (CompareMethod method : c.methods()) {
        phases.start(String.format(Locale.ROOT, "%s (seed %d)", method, seed));
        RunResult r =
            runMethod(
                c,
                sc,
                method,
                seed,
                plan.steps(),
                start,
                seedDir,
                train,
                test,
                before,
                phases,
                out);
        results.add(r);
        double runSeconds = phases.done(describe(r.after()) + ", " + r.steps() + " steps");
        done++;
        runSecondsSum += runSeconds;
        int warmStartsLeft = seeds - 1 - c.seeds().indexOf(seed);
        double eta = runSecondsSum / done * (runs - done) + warmStartsLeft * warmSeconds;
        LOG.info(
            String.format(
                Locale.ROOT,
                "compare: run %d/%d (%d%%) %s seed %d: EM %.3f -> %.3f in %d steps | elapsed %s |"
                    + " ETA %s",
                done,
                runs,
                done * 100 / runs,
                method,
                seed,
                before.exactMatch(),
                r.after().exactMatch(),
                r.steps(),
                Phases.format(phases.elapsedSeconds()),
                Phases.format(eta)));
      }
    }
    Map<String, Double> timings = phases.timings();
    environment.put("load_end", Machine.loadAverage());
    CompareResult result =
        new CompareResult(c, out, plan, warmEvals, warmLoss, results, timings, environment);
    CompareReport.write(result);
    LOG.info("compare: results in {}", out.resolve(CompareReport.SUMMARY));
    return result;
  }

  /**
   * Only the warm starts: per seed, {@code out/seed-S/} gets the world, BM25 index, tiny model and
   * SFT warm start ({@code model-sft/}) that later runs reuse with {@code --warm-start out/seed-S},
   * each method in its own process (scripts/compare-study.sh).
   */
  public static void warmStartsOnly(CompareConfig c, Path out) throws IOException {
    OutputDir.createNew(out, "--out");
    Phases phases = new Phases(c.seeds().size() * WarmStart.PHASES, 0);
    for (long seed : c.seeds()) {
      Path seedDir = out.resolve("seed-" + seed);
      Files.createDirectories(seedDir);
      WarmStart.run(
          c.base().withSeed(seed), seedDir, phases, WarmStart.DemonstrationsListener.none());
    }
    // written last: its presence says every warm start is complete
    byte[] done =
        ("{\"seeds\": " + c.seeds() + "}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    io.github.dartrl.core.io.AtomicFiles.write(out.resolve(WARM_STARTS_DONE), o -> o.write(done));
  }

  /** Written by {@link #warmStartsOnly} when every seed's warm start is complete. */
  public static final String WARM_STARTS_DONE = "warm_starts.json";

  /**
   * Greedy EM of the warm-started model: a single-adapter policy with B = 0, which computes exactly
   * the backbone's function, evaluated without a trainer.
   */
  private static EvalResult evaluateWarmStart(
      CompareConfig c, QuickstartConfig sc, Start warm, QaDataset test, long seed, Path out) {
    try (NDManager root = JobDevice.newRoot();
        DecoderModel model = HfCheckpoint.load(warm.warmModel(), root);
        TextTokenizer tok = TextTokenizer.load(warm.warmModel());
        LuceneBm25Retriever retriever = LuceneBm25Retriever.open(warm.indexDir());
        Policy identity = Policy.create(model, sc.policy().withMethod(Method.LORA), tok)) {
      Evaluator evaluator =
          Evaluator.builder()
              .policy(identity)
              .tokenizer(tok)
              .retriever(retriever)
              .promptTemplate(sc.template())
              .reward(RewardFunctions.named(c.reward()))
              .config(sc.grpo())
              .build();
      return evaluate(
          evaluator,
          test,
          "warm start",
          seed,
          QuestionOutcome.WARM_START,
          QuestionOutcome.BEFORE,
          out);
    }
  }

  /**
   * Evaluates greedily and appends every question's outcome to {@code out/}{@value
   * QuestionOutcome#FILE}.
   */
  private static EvalResult evaluate(
      Evaluator evaluator,
      QaDataset test,
      String label,
      long seed,
      String method,
      String variant,
      Path out) {
    List<QuestionOutcome> outcomes = new ArrayList<>();
    EvalResult r =
        evaluator
            .labelled("eval (" + label + ")")
            .evaluate(
                test,
                q ->
                    outcomes.add(
                        new QuestionOutcome(
                            seed,
                            method,
                            variant,
                            q.example().id(),
                            q.example().dataSource(),
                            q.exactMatch())));
    QuestionOutcome.append(out.resolve(QuestionOutcome.FILE), outcomes);
    return r;
  }

  /**
   * DART's isolated capabilities (the paper's third experiment): the trained adapters evaluated
   * with the reasoning adapter (θr) for every role, then the tool adapter (θa) for every role.
   */
  private static Map<String, EvalResult> isolated(
      CompareConfig c,
      QuickstartConfig sc,
      MethodModels models,
      LuceneBm25Retriever retriever,
      QaDataset test,
      long seed,
      Path out) {
    Map<String, EvalResult> isolated = new LinkedHashMap<>();
    Map<String, Method> views =
        Map.of(
            QuestionOutcome.REASONING_ONLY,
            Method.DART_REASONING_ONLY,
            QuestionOutcome.TOOL_ONLY,
            Method.DART_TOOL_ONLY);
    for (String variant : List.of(QuestionOutcome.REASONING_ONLY, QuestionOutcome.TOOL_ONLY)) {
      try (Policy view = models.policy.evaluatedAs(views.get(variant))) {
        Evaluator evaluator =
            Evaluator.builder()
                .policy(view)
                .tokenizer(models.tokenizer)
                .retriever(retriever)
                .promptTemplate(sc.template())
                .reward(RewardFunctions.named(c.reward()))
                .config(sc.grpo())
                .build();
        isolated.put(
            variant,
            evaluate(
                evaluator,
                test,
                "DART " + variant + " seed " + seed,
                seed,
                CompareMethod.DART.name(),
                variant,
                out));
      }
    }
    return isolated;
  }

  /**
   * Seconds per GRPO step of each method, from a throw-away copy: the trainer's own step time
   * (model loading excluded); the first method probed runs two steps and keeps the second, since
   * the process's first training step also pays one-off warm-up costs.
   */
  private static Map<CompareMethod, Double> probe(
      CompareConfig c, QuickstartConfig sc, Start warm, QaDataset train, Path seedDir)
      throws IOException {
    Map<CompareMethod, Double> perStep = new EnumMap<>(CompareMethod.class);
    Path probeDir = seedDir.resolve("probe");
    for (CompareMethod m : c.methods()) {
      int steps = perStep.isEmpty() ? 2 : 1;
      GrpoConfig g = grpoFor(c, sc, m, steps);
      try (MethodModels models = MethodModels.load(warm, m, sc.policy());
          LuceneBm25Retriever retriever = LuceneBm25Retriever.open(warm.indexDir());
          Trainer trainer =
              trainer(c, sc, models, retriever, train, g, probeDir.resolve(m.name()))) {
        List<StepMetrics> history = trainer.fit().history();
        double s = history.get(history.size() - 1).value("perf/step_time_s");
        perStep.put(m, s);
        LOG.info(String.format(Locale.ROOT, "probe: %s %.1f s per step", m, s));
      }
    }
    FileTrees.deleteTree(probeDir);
    return perStep;
  }

  private static RunResult runMethod(
      CompareConfig c,
      QuickstartConfig sc,
      CompareMethod method,
      long seed,
      int steps,
      Start warm,
      Path seedDir,
      QaDataset train,
      QaDataset test,
      EvalResult before,
      Phases phases,
      Path out)
      throws IOException {
    GrpoConfig g = grpoFor(c, sc, method, steps);
    Path dir = seedDir.resolve(method.name());
    Path runDir = dir.resolve("grpo");
    try (MethodModels models = MethodModels.load(warm, method, sc.policy());
        LuceneBm25Retriever retriever = LuceneBm25Retriever.open(warm.indexDir());
        Trainer trainer = trainer(c, sc, models, retriever, train, g, runDir)) {
      long t0 = System.nanoTime();
      while (trainer.step() < steps) {
        if (phases.remainingSeconds() <= 0) {
          LOG.warn(
              "{} seed {}: the time budget is spent; stopping GRPO after step {} of {}"
                  + " (this run gets fewer steps than the others)",
              method,
              seed,
              trainer.step(),
              steps);
          break;
        }
        trainer.fitUntil(Math.min(steps, trainer.step() + CHUNK_STEPS));
      }
      double trainSeconds = (System.nanoTime() - t0) / 1e9;
      long t1 = System.nanoTime();
      EvalResult after =
          evaluate(
              trainer.evaluator(),
              test,
              method + " seed " + seed,
              seed,
              method.name(),
              QuestionOutcome.AFTER,
              out);
      double evalSeconds = (System.nanoTime() - t1) / 1e9;
      Map<String, EvalResult> isolated =
          method == CompareMethod.DART
              ? isolated(c, sc, models, retriever, test, seed, out)
              : Map.of();
      double peakRssMb = PeakMemory.peakRssMb();
      Path weights = models.save(dir, warm.warmModel());
      List<StepMetrics> history =
          Files.exists(runDir.resolve(MetricsLog.FILE_NAME))
              ? MetricsLog.read(runDir.resolve(MetricsLog.FILE_NAME))
              : List.of();
      return new RunResult(
          method,
          seed,
          before,
          after,
          trainer.step(),
          g.learningRate(),
          models.trainableParameters(),
          trainSeconds,
          evalSeconds,
          runDir,
          weights,
          history,
          isolated,
          peakRssMb);
    }
  }

  /** The shared GRPO config with this method's learning rate and the planned step count. */
  static GrpoConfig grpoFor(CompareConfig c, QuickstartConfig sc, CompareMethod m, int steps) {
    GrpoConfig g = sc.grpo();
    return g.toBuilder()
        .totalSteps(steps)
        .learningRate(m.learningRate(g.learningRate(), c.fullLrRatio()))
        .checkpointEvery(0)
        .keepCheckpoints(1)
        .build();
  }

  private static Trainer trainer(
      CompareConfig c,
      QuickstartConfig sc,
      MethodModels models,
      LuceneBm25Retriever retriever,
      QaDataset train,
      GrpoConfig g,
      Path runDir) {
    Trainer.Builder b =
        Trainer.builder()
            .policy(models.policy)
            .tokenizer(models.tokenizer)
            .retriever(retriever)
            .promptTemplate(sc.template())
            .reward(RewardFunctions.named(c.reward()))
            .trainData(train)
            .config(g)
            .runDir(runDir);
    if (models.tool != null) {
      b.toolAgent(models.tool);
    }
    return b.build();
  }

  /** A method's fresh copy (two for 2-Agent) of the warm-started model, with its policies. */
  private static QaDataset limit(QaDataset data, QuickstartConfig c) {
    if (c.evalLimit() == 0 || c.evalLimit() >= data.size()) {
      return data;
    }
    return QaDataset.of(data.examples().subList(0, c.evalLimit()));
  }

  private static String describe(EvalResult r) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "EM %.3f", r.exactMatch()));
    r.exactMatchBySource()
        .forEach((k, v) -> sb.append(String.format(Locale.ROOT, ", %s %.3f", k, v)));
    return sb.toString();
  }
}

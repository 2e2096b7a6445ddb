package io.github.dartrl.examples.compare;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.io.FileTrees;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.harness.PeakMemory;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.quickstart.QuickstartConfig;
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
 * What {@link Compare} runs for one seed from its warm start: the warm start's evaluation, the
 * probe steps that price each method, and each method's GRPO run with its evaluations. Every
 * evaluated question's outcome is appended to {@code out/}{@value QuestionOutcome#FILE}.
 */
final class SeedRuns {
  private static final Logger LOG = LoggerFactory.getLogger(SeedRuns.class);

  /** GRPO steps between two checks of the time budget. */
  private static final int CHUNK_STEPS = 5;

  private final CompareConfig c;
  private final QuickstartConfig sc;
  private final Start warm;
  private final long seed;
  private final Path seedDir;
  private final Path out;

  /**
   * @param sc the seed's quickstart config ({@code c.base()} with the seed)
   * @param seedDir where the seed's runs write ({@code out/seed-S/})
   * @param out the comparison's output directory
   */
  SeedRuns(CompareConfig c, QuickstartConfig sc, Start warm, long seed, Path seedDir, Path out) {
    this.c = c;
    this.sc = sc;
    this.warm = warm;
    this.seed = seed;
    this.seedDir = seedDir;
    this.out = out;
  }

  /**
   * Greedy EM of the warm-started model: a single-adapter policy with B = 0, which computes exactly
   * the backbone's function, evaluated without a trainer.
   */
  EvalResult evaluateWarmStart(QaDataset test) {
    try (NDManager root = JobDevice.newRoot();
        DecoderModel model = HfCheckpoint.load(warm.warmModel(), root);
        TextTokenizer tok = TextTokenizer.load(warm.warmModel());
        LuceneBm25Retriever retriever = LuceneBm25Retriever.open(warm.indexDir());
        Policy identity = Policy.create(model, sc.policy().withMethod(Method.LORA), tok)) {
      return evaluate(
          evaluator(identity, tok, retriever),
          test,
          "warm start",
          QuestionOutcome.WARM_START,
          QuestionOutcome.BEFORE);
    }
  }

  /**
   * Seconds per GRPO step of each method, from a throw-away copy: the trainer's own step time
   * (model loading excluded); the first method probed runs two steps and keeps the second, since
   * the process's first training step also pays one-off warm-up costs.
   */
  Map<CompareMethod, Double> probe(QaDataset train) throws IOException {
    Map<CompareMethod, Double> perStep = new EnumMap<>(CompareMethod.class);
    Path probeDir = seedDir.resolve("probe");
    for (CompareMethod m : c.methods()) {
      int steps = perStep.isEmpty() ? 2 : 1;
      GrpoConfig g = grpoFor(c, sc, m, steps);
      try (MethodModels models = MethodModels.load(warm, m, sc.policy());
          LuceneBm25Retriever retriever = LuceneBm25Retriever.open(warm.indexDir());
          Trainer trainer = trainer(models, retriever, train, g, probeDir.resolve(m.name()))) {
        List<StepMetrics> history = trainer.fit().history();
        double s = history.get(history.size() - 1).value("perf/step_time_s");
        perStep.put(m, s);
        LOG.info(String.format(Locale.ROOT, "probe: %s %.1f s per step", m, s));
      }
    }
    FileTrees.deleteTree(probeDir);
    return perStep;
  }

  /**
   * Trains a fresh copy of the warm start with {@code method} for {@code steps} GRPO steps (fewer
   * if {@code phases}' budget runs out), evaluates it (and, for DART, its isolated capabilities)
   * and saves its adapters or models under {@code seedDir/METHOD/}.
   */
  RunResult run(
      CompareMethod method,
      int steps,
      QaDataset train,
      QaDataset test,
      EvalResult before,
      Phases phases)
      throws IOException {
    GrpoConfig g = grpoFor(c, sc, method, steps);
    Path dir = seedDir.resolve(method.name());
    Path runDir = dir.resolve("grpo");
    try (MethodModels models = MethodModels.load(warm, method, sc.policy());
        LuceneBm25Retriever retriever = LuceneBm25Retriever.open(warm.indexDir());
        Trainer trainer = trainer(models, retriever, train, g, runDir)) {
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
              method.name(),
              QuestionOutcome.AFTER);
      double evalSeconds = (System.nanoTime() - t1) / 1e9;
      Map<String, EvalResult> isolated =
          method == CompareMethod.DART ? isolated(models, retriever, test) : Map.of();
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

  /**
   * DART's isolated capabilities (the paper's third experiment): the trained adapters evaluated
   * with the reasoning adapter (θr) for every role, then the tool adapter (θa) for every role.
   */
  private Map<String, EvalResult> isolated(
      MethodModels models, LuceneBm25Retriever retriever, QaDataset test) {
    Map<String, EvalResult> isolated = new LinkedHashMap<>();
    Map<String, Method> views =
        Map.of(
            QuestionOutcome.REASONING_ONLY,
            Method.DART_REASONING_ONLY,
            QuestionOutcome.TOOL_ONLY,
            Method.DART_TOOL_ONLY);
    for (String variant : List.of(QuestionOutcome.REASONING_ONLY, QuestionOutcome.TOOL_ONLY)) {
      try (Policy view = models.policy.evaluatedAs(views.get(variant))) {
        isolated.put(
            variant,
            evaluate(
                evaluator(view, models.tokenizer, retriever),
                test,
                "DART " + variant + " seed " + seed,
                CompareMethod.DART.name(),
                variant));
      }
    }
    return isolated;
  }

  /** A trainer-less evaluator of {@code policy} with the comparison's prompt, reward and config. */
  private Evaluator evaluator(Policy policy, TextTokenizer tok, LuceneBm25Retriever retriever) {
    return Evaluator.builder()
        .policy(policy)
        .tokenizer(tok)
        .retriever(retriever)
        .promptTemplate(sc.template())
        .reward(RewardFunctions.named(c.reward()))
        .config(sc.grpo())
        .build();
  }

  /**
   * Evaluates greedily and appends every question's outcome to {@code out/}{@value
   * QuestionOutcome#FILE}.
   */
  private EvalResult evaluate(
      Evaluator evaluator, QaDataset test, String label, String method, String variant) {
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

  private Trainer trainer(
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
}

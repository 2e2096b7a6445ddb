package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.optim.LrSchedule;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.DataCursor;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.loss.GroupAdvantages;
import io.github.dartrl.grpo.metrics.Charting;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.metrics.MetricsPlot;
import io.github.dartrl.grpo.metrics.ProgressReporter;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardInput;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Rollouts;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.grpo.tool.ObservationFormatter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GRPO training of a {@link Policy} on search-augmented QA. One step is one readable sequence: take
 * prompts → roll out G completions each with the retriever → score them → group advantages → {@link
 * GrpoUpdate} (π_old, π_ref, loss, backward, clip, AdamW) → metrics → checkpoint.
 *
 * <p>Faults: a failing retriever is retried and then skips the batch or stops training as its
 * {@link RetrieverFailurePolicy} says; a non-finite loss or gradient skips that update (weights and
 * optimizer moments untouched); a checkpoint that cannot be written stops training with a {@link
 * TrainingHaltedException} that names the intact previous checkpoint. Each is counted in the {@code
 * faults/*} metrics. Leftovers of a save interrupted by a crash are removed when training starts.
 *
 * <pre>{@code
 * try (Trainer t = Trainer.builder().policy(policy).tokenizer(tok).retriever(bm25)
 *         .reward(RewardFunctions.named("em")).trainData(train).evalData(dev)
 *         .config(GrpoConfig.builder().totalSteps(100).build()).runDir(dir).build()) {
 *   TrainResult r = t.fit();
 * }
 * }</pre>
 */
public final class Trainer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

  private final Policy policy;
  private final TextTokenizer tokenizer;
  private final RewardFunction reward;
  private final QaDataset train;
  private final QaDataset eval;
  private final GrpoConfig config;
  private final Path runDir;
  private final List<TrainerListener> listeners;
  private final Rollouts engine;
  private final Rollouts greedyEngine;
  private final List<Learner> learners = new ArrayList<>();
  private final NDManager stateManager;
  private final boolean resume;
  private final RetrieverFaults retrieverFaults;
  private final RunIdentity identity;
  private boolean started;
  private DataCursor cursor;
  private int step;
  private int skipped;
  private Path lastCheckpoint;

  private Trainer(Builder b) {
    this.policy = Objects.requireNonNull(b.policy, "policy");
    this.tokenizer = Objects.requireNonNull(b.tokenizer, "tokenizer");
    this.reward = Objects.requireNonNull(b.reward, "reward");
    this.train = Objects.requireNonNull(b.train, "trainData");
    this.eval = b.eval;
    this.config = Objects.requireNonNull(b.config, "config");
    this.runDir = Objects.requireNonNull(b.runDir, "runDir");
    this.listeners = List.copyOf(b.listeners);
    this.resume = b.resume;
    this.retrieverFaults =
        new RetrieverFaults(
            Objects.requireNonNull(b.retriever, "retriever"),
            Objects.requireNonNull(b.onRetrieverFailure, "onRetrieverFailure"));
    Retriever retriever = retrieverFaults.retriever();
    this.stateManager = policy.model().manager().newSubManager();
    long pad = tokenizer.padTokenId().orElse(0);
    if (b.toolAgent == null) {
      this.engine = new RolloutEngine(policy, tokenizer, retriever, b.template, config.rollout());
      this.greedyEngine =
          new RolloutEngine(
              policy, tokenizer, retriever, b.template, config.rollout().withSampling(0, 1.0));
      learners.add(newLearner("policy", policy, config.trainRoles(), pad));
    } else {
      this.engine =
          RolloutEngine.twoAgent(
              policy,
              b.toolAgent,
              config.rollout().searchEnvironment(retriever, tokenizer),
              tokenizer,
              b.template,
              config.rollout());
      this.greedyEngine =
          RolloutEngine.twoAgent(
              policy,
              b.toolAgent,
              config.rollout().searchEnvironment(retriever, tokenizer),
              tokenizer,
              b.template,
              config.rollout().withSampling(0, 1.0));
      // each agent learns from its own tokens, with the shared trajectory advantage
      learners.add(
          newLearner(
              "reasoner",
              policy,
              java.util.EnumSet.of(io.github.dartrl.core.routing.TokenRole.REASONING),
              pad));
      learners.add(
          newLearner(
              "tool",
              b.toolAgent,
              java.util.EnumSet.of(io.github.dartrl.core.routing.TokenRole.TOOL),
              pad));
    }
    if (b.afterBackward != null) {
      learners.forEach(l -> l.update().afterBackward(b.afterBackward));
    }
    this.cursor = new DataCursor(train.size(), config.seed());
    Map<String, io.github.dartrl.core.policy.PolicyConfig> policies = new LinkedHashMap<>();
    learners.forEach(l -> policies.put(l.name(), l.policy().config()));
    ModelIdentity model = b.baseModel == null ? null : ModelIdentity.of(b.baseModel);
    this.identity = RunIdentity.of(config, policies, b.template, model);
    if (config.promptsPerStep() > train.size()) {
      throw new IllegalArgumentException(
          "promptsPerStep ("
              + config.promptsPerStep()
              + ") exceeds the training set ("
              + train.size()
              + " examples)");
    }
  }

  /** A trained policy with its optimizer state, gradient buffers and update rule. */
  private record Learner(
      String name,
      Policy policy,
      AdamW optimizer,
      Gradients gradients,
      GrpoUpdate update,
      DecoderModel reference) {
    TrainerCheckpoint.Learner checkpointView() {
      return new TrainerCheckpoint.Learner(name, policy, optimizer);
    }
  }

  private Learner newLearner(
      String name,
      Policy p,
      java.util.Set<io.github.dartrl.core.routing.TokenRole> roles,
      long pad) {
    if (p.trainableParameters().isEmpty()) {
      throw new IllegalArgumentException(p.method() + " has nothing to train");
    }
    DecoderModel ref =
        p.method().trainsBackbone() && config.loss().klCoef() > 0 ? frozenCopy(p.model()) : null;
    AdamW opt = new AdamW(config.optimizer(), p.trainableParameters(), stateManager);
    Gradients grads = new Gradients(p.trainableParameters(), stateManager);
    int updates = config.totalSteps() * config.updatesPerStep();
    LrSchedule schedule =
        config.cosineSchedule()
            ? LrSchedule.cosine(config.learningRate(), config.warmupRatio(), updates, 0.1)
            : LrSchedule.constant(config.learningRate(), config.warmupRatio(), updates);
    return new Learner(
        name, p, opt, grads, new GrpoUpdate(p, config, opt, grads, schedule, ref, pad, roles), ref);
  }

  private DecoderModel frozenCopy(DecoderModel model) {
    NDManager m = stateManager.newSubManager();
    Map<String, NDArray> copy = new LinkedHashMap<>();
    try (GradMode off = GradMode.disabled()) {
      model
          .parameters()
          .forEach(
              (k, v) -> {
                NDArray c = v.duplicate();
                c.attach(m);
                c.setName(k);
                copy.put(k, c);
              });
    }
    return new DecoderModel(model.config(), m, copy);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Steps completed so far. */
  public int step() {
    return step;
  }

  /** Runs (or, with {@code resume}, continues) training up to {@code totalSteps}. */
  public TrainResult fit() {
    return fitUntil(config.totalSteps());
  }

  /**
   * Like {@link #fit()} but stops after step {@code stepLimit} (≤ totalSteps), with a checkpoint:
   * the schedule stays the one of the full run, so a later resume continues it exactly.
   */
  public TrainResult fitUntil(int stepLimit) {
    if (stepLimit <= 0 || stepLimit > config.totalSteps()) {
      throw new IllegalArgumentException("stepLimit must be in [1, totalSteps], got " + stepLimit);
    }
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + runDir, e);
    }
    if (!started) { // everything is validated before the metrics or the policies change
      RunStart.check(runDir, resume, identity, train.size(), stepLimit).ifPresent(this::restore);
      started = true;
    }
    EvalResult lastEval = null;
    Path written = step == stepLimit ? lastCheckpoint : null; // nothing to train: already saved
    try (MetricsLog log = MetricsLog.open(runDir)) {
      log.dropAfter(step);
      ProgressReporter progress =
          ProgressReporter.builder(config.totalSteps())
              .optStartStep(Math.min(step, config.totalSteps() - 1)) // == total: no step to report
              .optKeys(List.of("reward/mean", "em/mean", "actor/kl", "actor/pg_clipfrac"))
              .build();
      while (step < stepLimit) {
        StepMetrics metrics = trainStep();
        log.log(metrics);
        progress.report(metrics); // logs the line itself
        listeners.forEach(l -> l.onStep(metrics));
        boolean last = step == stepLimit;
        if (config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0 || last) {
          written = checkpoint();
        }
        if (eval != null && (config.evalEvery() > 0 && step % config.evalEvery() == 0 || last)) {
          EvalResult result = evaluateDuringTraining();
          if (result == null) {
            continue;
          }
          lastEval = result;
          listeners.forEach(l -> l.onEvaluation(step, result));
          LOG.info(
              "step {}: eval EM {} {}",
              step,
              String.format("%.3f", result.exactMatch()),
              result.exactMatchBySource());
        }
      }
      if (Charting
          .available()) { // JFreeChart is optional: without it a library user trains unplotted
        MetricsPlot.plotRun(runDir.resolve("plots"), log.steps());
      }
      return new TrainResult(step, log.steps(), lastEval, written);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics in " + runDir, e);
    }
  }

  private StepMetrics trainStep() {
    long t0 = System.nanoTime();
    long stepSeed = config.seed() * 1_000_003L + step;
    int[] idx = cursor.nextBatch(config.promptsPerStep());
    List<QaExample> examples = new ArrayList<>();
    for (int i : idx) {
      examples.add(train.get(i));
    }
    List<Trajectory> ts;
    try {
      ts =
          engine.rollout(
              examples.stream().map(QaExample::question).toList(), config.groupSize(), stepSeed);
      retrieverFaults.succeeded();
    } catch (RetrieverException e) {
      retrieverFaults.batchFailed(e, step + 1, lastCheckpoint); // throws unless skipping
      step++;
      LOG.warn("step {}: batch skipped, the retriever failed: {}", step, e.getMessage());
      Map<String, Double> m = faultMetrics(true);
      m.put("perf/step_time_s", (System.nanoTime() - t0) / 1e9);
      return new StepMetrics(step, m);
    }
    long t1 = System.nanoTime();
    double[] rewards = new double[ts.size()];
    int[] groups = new int[ts.size()];
    double em = 0;
    for (int i = 0; i < ts.size(); i++) {
      Trajectory t = ts.get(i);
      RewardResult r = score(examples.get(t.taskIndex()), t);
      rewards[i] = r.reward();
      em += r.exactMatch() ? 1 : 0;
      groups[i] = t.group();
    }
    GroupAdvantages adv =
        GroupAdvantages.compute(rewards, groups, config.scaleAdvantagesByStd(), 1e-6);
    List<UpdateStats> stats = new ArrayList<>();
    for (Learner l : learners) {
      UpdateStats u = l.update().apply(ts, adv.advantages(), stepSeed);
      skipped += u.skippedSteps();
      stats.add(u);
    }
    step++;
    double seconds = (System.nanoTime() - t0) / 1e9;
    Map<String, Double> m = metrics(ts, rewards, em, adv, stats, seconds, (t1 - t0) / 1e9);
    m.putAll(faultMetrics(false));
    return new StepMetrics(step, m);
  }

  /** Fault counters (cumulative over the run directory) and whether this step's batch was lost. */
  private Map<String, Double> faultMetrics(boolean batchSkipped) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("faults/batch_skipped", batchSkipped ? 1.0 : 0.0);
    m.put("faults/skipped_batches", (double) retrieverFaults.skippedBatches());
    m.put("faults/retriever_retries", (double) retrieverFaults.retries());
    m.put("faults/nonfinite_skipped_updates", (double) skipped);
    return m;
  }

  /** Evaluation inside {@link #fitUntil}; null if it was skipped because the retriever failed. */
  private EvalResult evaluateDuringTraining() {
    try {
      return evaluate(eval);
    } catch (RetrieverException e) {
      retrieverFaults.evaluationFailed(e, step, lastCheckpoint); // throws unless skipping
      LOG.warn("step {}: evaluation skipped, the retriever failed: {}", step, e.getMessage());
      return null;
    }
  }

  private RewardResult score(QaExample ex, Trajectory t) {
    List<String> obs = t.passages().stream().map(ObservationFormatter::text).toList();
    return reward.score(
        new RewardInput(
            ex.question(),
            ex.goldenAnswers(),
            t.responseText(),
            t.truncated(),
            t.queries().size(),
            obs));
  }

  private Map<String, Double> metrics(
      List<Trajectory> ts,
      double[] rewards,
      double em,
      GroupAdvantages adv,
      List<UpdateStats> stats,
      double seconds,
      double rolloutSeconds) {
    Map<String, Double> m = new LinkedHashMap<>();
    double n = ts.size();
    double mean = 0;
    for (double r : rewards) {
      mean += r;
    }
    mean /= n;
    double var = 0;
    for (double r : rewards) {
      var += (r - mean) * (r - mean);
    }
    m.put("reward/mean", mean);
    m.put("reward/std", Math.sqrt(var / n));
    m.put("em/mean", em / n);
    m.put("frac_reward_zero_std", adv.zeroStdGroupFraction());
    for (int i = 0; i < stats.size(); i++) {
      UpdateStats u = stats.get(i);
      String p = i == 0 ? "actor/" : learners.get(i).name() + "_actor/";
      m.put(p + "pg_loss", u.policyLoss());
      m.put(p + "kl", u.kl());
      m.put(p + "entropy", u.entropy());
      m.put(p + "pg_clipfrac", u.clipFraction());
      m.put(p + "ratio_mean", u.meanRatio());
      m.put(p + "first_ratio_max_dev", u.firstRatioMaxDeviation());
      m.put(p + "grad_norm", u.gradNorm());
      m.put(p + "lr", u.learningRate());
      m.put(p + "skipped_updates", (double) u.skippedSteps());
      m.put(p + "logprob_max_diff", u.sampledVsRecomputedMaxDiff());
    }
    long tokens = 0;
    double resp = 0;
    double obs = 0;
    double turns = 0;
    double valid = 0;
    double actions = 0;
    double searched = 0;
    double searches = 0;
    double truncated = 0;
    for (Trajectory t : ts) {
      tokens += t.tokens().length;
      resp += t.responseLength();
      obs += t.observationTokens();
      turns += t.turns();
      valid += t.validActions();
      actions += t.validActions() + t.invalidActions();
      searched += t.queries().isEmpty() ? 0 : 1;
      searches += t.queries().size();
      truncated += t.truncated() ? 1 : 0;
    }
    m.put("response_length/mean", resp / n);
    m.put("observation_length/mean", obs / n);
    m.put("env/turns_mean", turns / n);
    m.put("env/valid_action_ratio", actions == 0 ? 0 : valid / actions);
    m.put("env/search_ratio", searched / n);
    m.put("env/searches_mean", searches / n);
    m.put("env/truncated_ratio", truncated / n);
    m.put("perf/step_time_s", seconds);
    m.put("perf/rollout_time_s", rolloutSeconds);
    m.put("perf/tokens_per_s", tokens / seconds);
    return m;
  }

  /**
   * Greedy evaluation (temperature 0, one completion per question): EM overall and per {@code
   * data_source}.
   */
  public EvalResult evaluate(QaDataset data) {
    if (data.size() == 0) {
      throw new IllegalArgumentException("evaluation set is empty");
    }
    Map<String, double[]> bySource = new LinkedHashMap<>();
    double em = 0;
    double rewardSum = 0;
    double turns = 0;
    double searched = 0;
    double truncated = 0;
    for (int from = 0; from < data.size(); from += config.evalBatchSize()) {
      List<QaExample> chunk =
          data.examples().subList(from, Math.min(data.size(), from + config.evalBatchSize()));
      List<Trajectory> ts =
          greedyEngine.rollout(chunk.stream().map(QaExample::question).toList(), 1, config.seed());
      for (Trajectory t : ts) {
        QaExample ex = chunk.get(t.taskIndex());
        RewardResult r = score(ex, t);
        double hit = r.exactMatch() ? 1 : 0;
        em += hit;
        rewardSum += r.reward();
        turns += t.turns();
        searched += t.queries().isEmpty() ? 0 : 1;
        truncated += t.truncated() ? 1 : 0;
        double[] acc = bySource.computeIfAbsent(ex.dataSource(), k -> new double[2]);
        acc[0] += hit;
        acc[1]++;
      }
    }
    double n = data.size();
    Map<String, Double> emBy = new LinkedHashMap<>();
    Map<String, Integer> countBy = new LinkedHashMap<>();
    bySource.forEach(
        (k, v) -> {
          emBy.put(k, v[0] / v[1]);
          countBy.put(k, (int) v[1]);
        });
    return new EvalResult(
        em / n, emBy, countBy, rewardSum / n, turns / n, searched / n, truncated / n);
  }

  private Path checkpoint() {
    Path dir = TrainerCheckpoint.dirFor(runDir, step);
    TrainerCheckpoint.State state =
        new TrainerCheckpoint.State(
            step,
            cursor.state(),
            skipped,
            retrieverFaults.skippedBatches(),
            retrieverFaults.retries());
    try {
      TrainerCheckpoint.save(dir, checkpointViews(), state, identity);
    } catch (UncheckedIOException e) {
      // e.g. a full disk: the half-written checkpoint is gone, the previous one is untouched
      throw new TrainingHaltedException(
          "cannot save checkpoint " + dir.toAbsolutePath(), step, lastCheckpoint, e);
    }
    lastCheckpoint = dir;
    TrainerCheckpoint.prune(runDir, config.keepCheckpoints());
    listeners.forEach(l -> l.onCheckpoint(step, dir));
    return dir;
  }

  private List<TrainerCheckpoint.Learner> checkpointViews() {
    return learners.stream().map(Learner::checkpointView).toList();
  }

  private void restore(TrainerStateFile.Saved saved) {
    TrainerCheckpoint.load(saved, checkpointViews());
    TrainerCheckpoint.State s = saved.state();
    Path dir = saved.file().getParent();
    lastCheckpoint = dir;
    step = s.step();
    skipped = s.skippedUpdates();
    retrieverFaults.restore(s.skippedBatches(), s.retrieverRetries());
    cursor = DataCursor.restore(s.cursor());
    LOG.info("resumed from {} at step {}", dir, step);
  }

  /** Latest checkpoint of a run directory. */
  public static Optional<Path> latestCheckpoint(Path runDir) {
    return TrainerCheckpoint.latest(runDir);
  }

  @Override
  public void close() {
    for (Learner l : learners) {
      if (l.reference() != null) {
        l.reference().close();
      }
    }
    stateManager.close();
  }

  /**
   * Builder of a {@link Trainer}; policy, tokenizer, retriever, reward, trainData, config, runDir
   * are required.
   */
  public static final class Builder {
    private Policy policy;
    private TextTokenizer tokenizer;
    private Retriever retriever;
    private PromptTemplate template = PromptTemplate.searchR1();
    private RewardFunction reward;
    private QaDataset train;
    private QaDataset eval;
    private GrpoConfig config;
    private Path runDir;
    private boolean resume;
    private Path baseModel;
    private RetrieverFailurePolicy onRetrieverFailure = RetrieverFailurePolicy.defaults();
    private Policy toolAgent;
    private java.util.function.Consumer<Gradients> afterBackward;
    private final List<TrainerListener> listeners = new ArrayList<>();

    public Builder policy(Policy v) {
      policy = v;
      return this;
    }

    public Builder tokenizer(TextTokenizer v) {
      tokenizer = v;
      return this;
    }

    public Builder retriever(Retriever v) {
      retriever = v;
      return this;
    }

    /**
     * Retries and the outcome when the retriever fails; default {@link
     * RetrieverFailurePolicy#defaults()} (2 retries from 1 s, then stop).
     */
    public Builder onRetrieverFailure(RetrieverFailurePolicy v) {
      onRetrieverFailure = v;
      return this;
    }

    public Builder promptTemplate(PromptTemplate v) {
      template = v;
      return this;
    }

    public Builder reward(RewardFunction v) {
      reward = v;
      return this;
    }

    public Builder trainData(QaDataset v) {
      train = v;
      return this;
    }

    public Builder evalData(QaDataset v) {
      eval = v;
      return this;
    }

    public Builder config(GrpoConfig v) {
      config = v;
      return this;
    }

    public Builder runDir(Path v) {
      runDir = v;
      return this;
    }

    /**
     * Continue from the latest checkpoint in the run directory, if there is one (it must have been
     * made with the same config, policies and {@link #baseModel}). Without it, a run directory
     * holding an earlier run is refused.
     */
    public Builder resume(boolean v) {
      resume = v;
      return this;
    }

    /**
     * The HF directory the backbone was loaded from: recorded in checkpoints, checked on resume.
     */
    public Builder baseModel(Path v) {
      baseModel = v;
      return this;
    }

    /**
     * The 2-Agent baseline: {@link #policy} becomes the reasoner and this independent model writes
     * the tool calls; each is trained on its own tokens with the shared advantages.
     */
    public Builder toolAgent(Policy v) {
      toolAgent = v;
      return this;
    }

    /** For fault tests: sees (and may poison) each mini-batch's gradients before the check. */
    Builder afterBackward(java.util.function.Consumer<Gradients> v) {
      afterBackward = v;
      return this;
    }

    public Builder listener(TrainerListener v) {
      listeners.add(v);
      return this;
    }

    public Trainer build() {
      return new Trainer(this);
    }
  }
}

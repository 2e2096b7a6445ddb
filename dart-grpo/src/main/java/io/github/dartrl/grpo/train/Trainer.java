package io.github.dartrl.grpo.train;

import ai.djl.ndarray.NDManager;
import com.google.auto.value.AutoBuilder;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.DataCursor;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.loss.GroupAdvantages;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.metrics.ProgressReporter;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.metrics.StepMetricsBuilder;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.Rollouts;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.grpo.tool.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
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
 * Evaluation is the {@link #evaluator()}'s; charts are a {@link PlotListener}, added by default.
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

  private final RewardFunction reward;
  private final QaDataset train;
  private final QaDataset eval;
  private final GrpoConfig config;
  private final Path runDir;
  private final List<TrainerListener> listeners;
  private final Rollouts engine;
  private final Evaluator evaluator;
  private final List<PolicyLearner> learners;
  private final NDManager stateManager;
  private final boolean resume;
  private final RetrieverFaults retrieverFaults;
  private final CheckpointKeeper checkpoints;
  private final DistributedRollouts distributed; // null: rollouts and gradients in-process
  private boolean started;
  private DataCursor cursor;
  private int step;
  private int skipped;

  private Trainer(TrainerParts b) {
    Policy policy = b.policy();
    TextTokenizer tokenizer = b.tokenizer();
    this.reward = b.reward();
    this.train = b.trainData();
    this.eval = b.evalData();
    this.config = b.config();
    this.runDir = b.runDir();
    if (config.promptsPerStep() > train.size()) {
      throw new IllegalArgumentException(
          String.format(
              "promptsPerStep (%d) exceeds the training set (%d examples)",
              config.promptsPerStep(), train.size()));
    }
    List<TrainerListener> ls = new ArrayList<>(b.listeners());
    if (b.plots()) {
      ls.add(new PlotListener(runDir.resolve("plots")));
    }
    this.listeners = List.copyOf(ls);
    this.resume = b.resume();
    this.retrieverFaults = new RetrieverFaults(b.retriever(), b.onRetrieverFailure());
    Retriever retriever = retrieverFaults.retriever();
    this.stateManager = policy.model().manager().newSubManager();
    long pad = tokenizer.padTokenId().orElse(0);
    this.engine =
        AgentWiring.engine(
            policy,
            b.toolAgent(),
            tokenizer,
            retriever,
            b.extraTools(),
            b.promptTemplate(),
            config);
    this.evaluator =
        Evaluator.builder()
            .policy(policy)
            .toolAgent(b.toolAgent())
            .tokenizer(tokenizer)
            .retriever(retriever)
            .extraTools(b.extraTools())
            .promptTemplate(b.promptTemplate())
            .reward(reward)
            .config(config)
            .build();
    this.learners = AgentWiring.learners(policy, b.toolAgent(), config, stateManager, pad);
    if (b.afterBackward() != null) {
      learners.forEach(l -> l.update().afterBackward(b.afterBackward()));
    }
    this.distributed = b.distributed();
    if (distributed != null && (b.toolAgent() != null || policy.method().trainsBackbone())) {
      throw new IllegalArgumentException(
          "distributed rollouts broadcast one policy's adapters: not for the 2-Agent baseline or "
              + policy.method());
    }
    if (distributed != null && !b.extraTools().isEmpty()) {
      // executors build their environment from the worker recipe (search only): with another
      // tool here their trajectories would differ from what this trainer's evaluation sees
      throw new IllegalArgumentException(
          "distributed rollouts run search only; extra tools "
              + b.extraTools().stream().map(Tool::name).toList()
              + " are not supported on executors yet");
    }
    this.cursor = new DataCursor(train.size(), config.seed());
    this.checkpoints =
        new CheckpointKeeper(
            runDir, config, b.promptTemplate(), b.baseModel(), learners, listeners);
  }

  /** A builder with the defaults its setters name (Search-R1 template, plots, no extra tools). */
  public static Builder builder() {
    return new AutoBuilder_Trainer_Builder()
        .promptTemplate(PromptTemplate.searchR1())
        .resume(false)
        .onRetrieverFailure(RetrieverFailurePolicy.defaults())
        .extraTools(List.of())
        .plots(true)
        .listeners(List.of());
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
      RunStart.check(runDir, resume, checkpoints.identity(), train.size(), stepLimit)
          .ifPresent(this::restore);
      started = true;
    }
    EvalResult lastEval = null;
    Path written = step == stepLimit ? checkpoints.last() : null; // nothing to train: saved
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
          written = checkpoints.save(state());
        }
        if (eval != null && (config.evalEvery() > 0 && step % config.evalEvery() == 0 || last)) {
          lastEval = Optional.ofNullable(evaluateDuringTraining()).orElse(lastEval);
        }
      }
      TrainResult result = new TrainResult(step, log.steps(), lastEval, written);
      listeners.forEach(l -> l.onFitEnd(result));
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write metrics in " + runDir, e);
    }
  }

  private StepMetrics trainStep() {
    long t0 = System.nanoTime();
    long stepSeed = config.seed() * 1_000_003L + step;
    List<QaExample> examples = new ArrayList<>();
    for (int i : cursor.nextBatch(config.promptsPerStep())) {
      examples.add(train.get(i));
    }
    List<Trajectory> ts;
    DistributedRollouts.RolloutBatch remote = null;
    try {
      if (distributed == null) {
        ts =
            engine.rollout(
                examples.stream().map(QaExample::question).toList(), config.groupSize(), stepSeed);
      } else {
        remote =
            distributed.rollout(
                AdapterWeights.of(learners.get(0).policy()),
                examples,
                config.groupSize(),
                stepSeed);
        ts = remote.trajectories();
        retrieverFaults.addWorkerRetries(remote.retries());
      }
      retrieverFaults.succeeded();
    } catch (RetrieverException e) {
      retrieverFaults.batchFailed(e, step + 1, checkpoints.last()); // throws unless skipping
      step++;
      LOG.warn("step {}: batch skipped, the retriever failed: {}", step, e.getMessage());
      return faults(new StepMetricsBuilder(step), true)
          .put("perf/step_time_s", (System.nanoTime() - t0) / 1e9)
          .build();
    }
    long t1 = System.nanoTime();
    RewardScoring.Batch scored =
        remote == null
            ? RewardScoring.scoreAll(reward, examples, ts)
            : new RewardScoring.Batch(
                remote.rewards(),
                ts.stream().mapToInt(Trajectory::group).toArray(),
                remote.exactMatches());
    GroupAdvantages adv =
        GroupAdvantages.compute(
            scored.rewards(), scored.groups(), config.scaleAdvantagesByStd(), 1e-6);
    StepMetricsBuilder m = new StepMetricsBuilder(step + 1);
    m.rewards(scored.rewards(), scored.exactMatches(), adv.zeroStdGroupFraction());
    for (int i = 0; i < learners.size(); i++) {
      PolicyLearner l = learners.get(i);
      RemoteGradients rg =
          remote == null
              ? null
              : new RemoteGradients(distributed, l.policy(), remote, adv.advantages());
      UpdateStats u = l.update().apply(ts, adv.advantages(), stepSeed, rg);
      skipped += u.skippedSteps();
      m.learner(i == 0 ? "actor/" : learners.get(i).name() + "_actor/", u.asMetrics());
    }
    step++;
    m.rollouts(ts).timing((System.nanoTime() - t0) / 1e9, (t1 - t0) / 1e9);
    return faults(m, false).build();
  }

  /** Fault counters (cumulative over the run directory) and whether this step's batch was lost. */
  private StepMetricsBuilder faults(StepMetricsBuilder m, boolean batchSkipped) {
    return m.faults(
        batchSkipped, retrieverFaults.skippedBatches(), retrieverFaults.retries(), skipped);
  }

  /** Evaluation inside {@link #fitUntil}; null if it was skipped because the retriever failed. */
  private EvalResult evaluateDuringTraining() {
    try {
      EvalResult result = evaluate(eval);
      listeners.forEach(l -> l.onEvaluation(step, result));
      LOG.info(
          "step {}: eval EM {} {}",
          step,
          String.format("%.3f", result.exactMatch()),
          result.exactMatchBySource());
      return result;
    } catch (RetrieverException e) {
      retrieverFaults.evaluationFailed(e, step, checkpoints.last()); // throws unless skipping
      LOG.warn("step {}: evaluation skipped, the retriever failed: {}", step, e.getMessage());
      return null;
    }
  }

  /**
   * Greedy evaluation (temperature 0, one completion per question): EM overall and per {@code
   * data_source}; the same as {@link #evaluator()}{@code .evaluate(data)}.
   */
  public EvalResult evaluate(QaDataset data) {
    return evaluator.evaluate(data);
  }

  /**
   * The greedy {@link Evaluator} of this run's policies, retriever (with its retries), template,
   * reward, rollout config, eval batch size and seed.
   */
  public Evaluator evaluator() {
    return evaluator;
  }

  private TrainerCheckpoint.State state() {
    return new TrainerCheckpoint.State(
        step, cursor.state(), skipped, retrieverFaults.skippedBatches(), retrieverFaults.retries());
  }

  private void restore(TrainerStateFile.Saved saved) {
    TrainerCheckpoint.State s = checkpoints.restore(saved);
    step = s.step();
    skipped = s.skippedUpdates();
    retrieverFaults.restore(s.skippedBatches(), s.retrieverRetries());
    cursor = DataCursor.restore(s.cursor());
  }

  /** Latest checkpoint of a run directory. */
  public static Optional<Path> latestCheckpoint(Path runDir) {
    return TrainerCheckpoint.latest(runDir);
  }

  @Override
  public void close() {
    learners.forEach(PolicyLearner::closeReference);
    stateManager.close();
  }

  /**
   * Builder of a {@link Trainer} (generated); policy, tokenizer, retriever, reward, trainData,
   * config, runDir are required (build throws {@link IllegalStateException} naming a missing one).
   * The setters are those of {@link TrainerSettings}.
   */
  @AutoBuilder(ofClass = TrainerParts.class)
  public abstract static class Builder implements TrainerSettings<Builder> {
    Builder() {}

    /** For fault tests: sees (and may poison) each mini-batch's gradients before the check. */
    abstract Builder afterBackward(@Nullable Consumer<Gradients> v);

    abstract Builder listeners(List<TrainerListener> v);

    abstract List<TrainerListener> listeners();

    abstract TrainerParts parts();

    @Override
    public Builder listener(TrainerListener v) {
      List<TrainerListener> all = new ArrayList<>(listeners());
      all.add(Objects.requireNonNull(v, "listener"));
      return listeners(all);
    }

    /** The trainer; validates the settings against each other. */
    public Trainer build() {
      return new Trainer(parts());
    }
  }
}

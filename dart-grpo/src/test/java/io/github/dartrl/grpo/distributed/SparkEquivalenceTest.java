package io.github.dartrl.grpo.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.loss.GroupAdvantages;
import io.github.dartrl.grpo.loss.LossAggregation;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.grpo.train.AdapterWeights;
import io.github.dartrl.grpo.train.DistributedRollouts;
import io.github.dartrl.grpo.train.ExecutorStep;
import io.github.dartrl.grpo.train.GradientShare;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.RetrieverFailurePolicy;
import io.github.dartrl.grpo.train.TrainResult;
import io.github.dartrl.grpo.train.Trainer;
import io.github.dartrl.grpo.train.TrainingHaltedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Acceptance of issue 18 in {@code local[2]}: a distributed step equals the local one (tokens,
 * roles and rewards exactly; log-probs and gradients within float summation noise) whatever the
 * partitioning, and the adapters of 3 distributed Trainer steps equal the local Trainer's.
 *
 * <p>Tolerances: recorded log-probs ≤ 1e-5 absolute (a different batch shape pads differently);
 * gradients ≤ 1e-5 of the gradient's largest component (sums of partitions' shares instead of one
 * sum); adapters after 3 AdamW steps ≤ 1e-5 absolute (AdamW moves each weight by ≤ lr = 2e-2 per
 * step), after 12 (2 epochs × 2 mini-batches per step) ≤ 1e-4 = lr / 200: AdamW divides by the
 * gradient's running magnitude, so on components where the partitions' shares nearly cancel,
 * summation-order noise moves the update by a visible fraction of lr (seen: 3.1e-5).
 */
class SparkEquivalenceTest {
  static final double LOGPROB_TOL = 1e-5;
  static final double GRAD_REL_TOL = 1e-5;
  static final double WEIGHT_TOL = 1e-5;
  static final double MULTI_WEIGHT_TOL = 1e-4;

  @TempDir static Path modelDir;
  static SparkSession spark;
  static NDManager root;
  static DecoderModel model;
  static TextTokenizer tok;

  @BeforeAll
  static void setUp() {
    TinyWorld.createModel(modelDir);
    ExecutorCache.clear();
    spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("dart4j-equivalence")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    root = NDManager.newBaseManager("PyTorch");
    model = TinyWorld.load(modelDir, root);
    tok = TextTokenizer.load(modelDir);
  }

  @AfterAll
  static void tearDown() {
    ExecutorCache.clear();
    spark.stop();
    tok.close();
    model.close();
    root.close();
  }

  @Test
  void oneDistributedStepEqualsTheLocalStep() {
    ExecutorCache.clear(); // so that this test sees the one load of the backbone
    GrpoConfig cfg = TinyWorld.config();
    long stepSeed = cfg.seed() * 1_000_003L; // the Trainer's seed of step 1
    List<QaExample> prompts = TinyWorld.data().examples().subList(0, 4);
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        ExecutorStep local =
            new ExecutorStep(
                p,
                tok,
                new TinyWorld.FixedRetriever(false),
                TinyWorld.SHORT,
                TinyWorld.PARIS,
                cfg,
                RetrieverFailurePolicy.stop(1, Duration.ZERO))) {
      AdapterWeights w = AdapterWeights.of(p);
      DistributedRollouts.RolloutBatch mine = local.rollout(prompts, 0, 2, stepSeed);
      SparkRollouts two = new SparkRollouts(spark, TinyWorld.Recipe.of(modelDir), cfg, 2);
      DistributedRollouts.RolloutBatch theirs = two.rollout(w, prompts, 2, stepSeed);
      assertSameRollouts(mine, theirs);
      // a different partitioning samples the same trajectories (row streams, not task streams)
      SparkRollouts three = new SparkRollouts(spark, TinyWorld.Recipe.of(modelDir), cfg, 3);
      assertSameRollouts(mine, three.rollout(w, prompts, 2, stepSeed));

      int[] groups = mine.trajectories().stream().mapToInt(Trajectory::group).toArray();
      float[] adv = GroupAdvantages.compute(mine.rewards(), groups, true, 1e-6).advantages();
      DistributedRollouts.GradientTask task = task(cfg, mine, adv);
      GradientShare here = local.gradient(task);
      GradientShare there = two.gradient(w, task);
      double scale = maxAbs(here.gradient());
      assertThat(scale).as("a gradient to compare").isGreaterThan(1e-4);
      assertThat(maxAbsDiff(here.gradient(), there.gradient()))
          .as("gradient difference (largest component %.3g)", scale)
          .isLessThanOrEqualTo(GRAD_REL_TOL * scale);
      assertThat(there.finite()).isTrue();
      assertThat(there.diagnostics()[5]).as("trained tokens").isEqualTo(here.diagnostics()[5]);
      assertThat(there.diagnostics()[0]).isCloseTo(here.diagnostics()[0], within(1e-5));

      StepCosts costs = two.costs().get(0);
      assertThat(costs.broadcasts()).isEqualTo(2); // the rollout's and the gradient's
      assertThat(costs.broadcastBytes()).isEqualTo(2 * w.bytes());
      assertThat(costs.modelLoads()).as("loaded once, in its first step").hasSize(1);
      assertThat(three.costs().get(0).modelLoads()).as("not loaded again").isEmpty();
      assertThat(costs.trajectoryBytesIn()).isGreaterThan(0);
      assertThat(costs.gradientBytes()).isEqualTo(2 * 4 * w.size());
    }
  }

  @Test
  void threeTrainerStepsAgree(@TempDir Path localRun, @TempDir Path sparkRun) {
    threeStepsAgree(
        TinyWorld.config(), TinyWorld.Recipe.of(modelDir), localRun, sparkRun, WEIGHT_TOL);
  }

  /** Several updates per step under each loss aggregation: the workers get the denominators. */
  @ParameterizedTest
  @EnumSource(LossAggregation.class)
  void severalUpdatesPerStepAgreeUnderEveryAggregation(
      LossAggregation aggregation, @TempDir Path localRun, @TempDir Path sparkRun) {
    TinyWorld.Recipe recipe =
        new TinyWorld.Recipe(modelDir.toString(), ModelKey.of(modelDir), false, aggregation);
    threeStepsAgree(recipe.config(), recipe, localRun, sparkRun, MULTI_WEIGHT_TOL);
  }

  private void threeStepsAgree(
      GrpoConfig cfg, TinyWorld.Recipe recipe, Path localRun, Path sparkRun, double weightTol) {
    float[] localWeights;
    TrainResult localResult;
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t = trainer(p, cfg, localRun).build()) {
      localResult = t.fit();
      localWeights = AdapterWeights.of(p).flat();
    }
    float[] sparkWeights;
    TrainResult sparkResult;
    SparkRollouts rollouts = new SparkRollouts(spark, recipe, cfg, 2);
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t = trainer(p, cfg, sparkRun).distributed(rollouts).build()) {
      sparkResult = t.fit();
      sparkWeights = AdapterWeights.of(p).flat();
    }
    assertThat(sparkResult.steps()).isEqualTo(3);
    for (int s = 0; s < 3; s++) {
      for (String key : List.of("reward/mean", "response_length/mean")) {
        assertThat(sparkResult.history().get(s).value(key))
            .as("%s of step %d", key, s + 1)
            .isEqualTo(localResult.history().get(s).value(key));
      }
      assertThat(sparkResult.history().get(s).value("actor/first_ratio_max_dev")).isZero();
    }
    assertThat(maxAbsDiff(localWeights, sparkWeights))
        .as("adapters after 3 steps")
        .isLessThanOrEqualTo(weightTol);
    assertThat(maxAbsDiff(localWeights, initialWeights()))
        .as("training moved them")
        .isGreaterThan(1e-3);
    assertThat(rollouts.costs()).hasSize(3);
    assertThat(sparkRun.resolve("metrics.jsonl")).exists();
    assertThat(Trainer.latestCheckpoint(sparkRun)).isPresent();
  }

  @Test
  void aRetrieverFailingOnExecutorsFollowsTheFailurePolicy(
      @TempDir Path skipRun, @TempDir Path stopRun) {
    GrpoConfig cfg = TinyWorld.config(true);
    TinyWorld.Recipe failing =
        new TinyWorld.Recipe(modelDir.toString(), ModelKey.of(modelDir), true, null);
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            trainer(p, cfg, skipRun)
                .onRetrieverFailure(RetrieverFailurePolicy.skipBatch(1, Duration.ZERO, 5))
                .distributed(new SparkRollouts(spark, failing, cfg, 2))
                .build()) {
      TrainResult r = t.fitUntil(1);
      assertThat(r.history().get(0).value("faults/batch_skipped")).isEqualTo(1.0);
      assertThat(r.history().get(0).value("faults/skipped_batches")).isEqualTo(1.0);
    }
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            trainer(p, cfg, stopRun)
                .onRetrieverFailure(RetrieverFailurePolicy.stop(1, Duration.ZERO))
                .distributed(new SparkRollouts(spark, failing, cfg, 2))
                .build()) {
      assertThatThrownBy(t::fit)
          .isInstanceOf(TrainingHaltedException.class)
          .hasMessageContaining("retriever");
    }
  }

  private float[] initialWeights() {
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok)) {
      return AdapterWeights.of(p).flat();
    }
  }

  private static Trainer.Builder trainer(Policy p, GrpoConfig cfg, Path runDir) {
    return Trainer.builder()
        .policy(p)
        .tokenizer(tok)
        .retriever(new TinyWorld.FixedRetriever(false))
        .onRetrieverFailure(RetrieverFailurePolicy.stop(1, Duration.ZERO))
        .promptTemplate(TinyWorld.SHORT)
        .reward(TinyWorld.PARIS)
        .trainData(TinyWorld.data())
        .config(cfg)
        .runDir(runDir)
        .plots(false);
  }

  private static DistributedRollouts.GradientTask task(
      GrpoConfig cfg, DistributedRollouts.RolloutBatch b, float[] adv) {
    double tokens = 0;
    double seqs = 0;
    for (Trajectory t : b.trajectories()) {
      int n = 0;
      for (int p = 1; p < t.roles().length; p++) {
        n += cfg.trainRoles().contains(TokenRole.ofCode(t.roles()[p])) ? 1 : 0;
      }
      tokens += n;
      seqs += n > 0 ? 1 : 0;
    }
    return new DistributedRollouts.GradientTask(
        b.trajectories(), b.oldLogProbs(), b.refLogProbs(), adv, tokens, seqs, true);
  }

  private static void assertSameRollouts(
      DistributedRollouts.RolloutBatch a, DistributedRollouts.RolloutBatch b) {
    assertThat(b.trajectories()).hasSameSizeAs(a.trajectories());
    for (int i = 0; i < a.trajectories().size(); i++) {
      Trajectory x = a.trajectories().get(i);
      Trajectory y = b.trajectories().get(i);
      assertThat(y.tokens()).as("tokens of row %d", i).containsExactly(x.tokens());
      assertThat(y.roles()).as("roles of row %d", i).containsExactly(x.roles());
      assertThat(y.group()).isEqualTo(x.group());
      assertThat(y.responseText()).isEqualTo(x.responseText());
      assertThat(y.queries()).isEqualTo(x.queries());
      assertThat(maxAbsDiff(x.logProbs(), y.logProbs())).isLessThanOrEqualTo(LOGPROB_TOL);
      assertThat(maxAbsDiff(a.oldLogProbs()[i], b.oldLogProbs()[i]))
          .isLessThanOrEqualTo(LOGPROB_TOL);
    }
    assertThat(b.rewards()).containsExactly(a.rewards());
    assertThat(b.exactMatches()).isEqualTo(a.exactMatches());
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  static double maxAbs(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, Math.abs(v));
    }
    return m;
  }

  /** Largest absolute difference, NaN-aware (NaN equals NaN: given tokens have no log-prob). */
  static double maxAbsDiff(float[] a, float[] b) {
    assertThat(b).hasSameSizeAs(a);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      if (Float.isNaN(a[i]) || Float.isNaN(b[i])) {
        assertThat(Float.isNaN(a[i])).as("NaN at %d", i).isEqualTo(Float.isNaN(b[i]));
        continue;
      }
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  /** Executors run search only: a trainer given another tool is refused, naming the tool. */
  @Test
  void anExtraToolIsRefusedInsteadOfDiverging(@TempDir Path run) {
    GrpoConfig cfg = TinyWorld.config(true);
    io.github.dartrl.grpo.tool.Tool calc =
        new io.github.dartrl.grpo.tool.Tool() {
          @Override
          public String name() {
            return "calc";
          }

          @Override
          public io.github.dartrl.core.routing.ToolSpan span() {
            return new io.github.dartrl.core.routing.ToolSpan("<calc>", "</calc>");
          }

          @Override
          public List<String> execute(List<String> calls) {
            return calls;
          }
        };
    PolicyConfig twoTools =
        PolicyConfig.dart()
            .withSpans(List.of(io.github.dartrl.core.routing.ToolSpan.search(), calc.span()));
    try (Policy p = Policy.create(model, twoTools, tok)) {
      assertThatThrownBy(
              () ->
                  trainer(p, cfg, run)
                      .extraTools(List.of(calc))
                      .distributed(new SparkRollouts(spark, TinyWorld.Recipe.of(modelDir), cfg, 2))
                      .build())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("[calc]");
    }
  }
}

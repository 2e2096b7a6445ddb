package io.github.dartrl.grpo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.optim.LrSchedule;
import io.github.dartrl.core.policy.Isolation;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
  @TempDir static Path modelDir;
  static NDManager root;
  static DecoderModel model;
  static TextTokenizer tok;
  static final PromptTemplate SHORT = new PromptTemplate("question : {question}", true);

  /** Reward = share of response words that are "paris": trivially learnable by a tiny policy. */
  static final RewardFunction PARIS = TinyRun.PARIS;

  static final class FixedRetriever implements Retriever {
    volatile boolean fail;

    @Override
    public List<List<Passage>> search(List<String> queries, int topK) {
      if (fail) {
        throw new RetrieverException("http://127.0.0.1:9/retrieve: no answer after 3 attempts");
      }
      List<List<Passage>> out = new ArrayList<>();
      queries.forEach(q -> out.add(List.of(new Passage("1", "paris", "the city is paris .", 1))));
      return out;
    }
  }

  @BeforeAll
  static void setUp() {
    TinyModels.create(
        modelDir,
        List.of(
            "who", "is", "the", "capital", "of", "paris", "france", "city", "question", ":", "."),
        new TinyModels.Size(32, 2, 4, 2, 64, 512),
        8);
    root = NDManager.newBaseManager("PyTorch");
    model = HfCheckpoint.load(modelDir, root);
    tok = TextTokenizer.load(modelDir);
    // HF init (std 0.02) gives a near-uniform tied LM head that LoRA cannot sharpen within a few
    // steps; a wider embedding lets a short run show learning.
    try (var off = io.github.dartrl.core.model.GradMode.disabled()) {
      model.parameters().get(io.github.dartrl.core.model.HfNames.EMBED).muli(10f);
    }
  }

  @AfterAll
  static void tearDown() {
    tok.close();
    model.close();
    root.close();
  }

  static QaDataset data() {
    return TinyRun.data();
  }

  static GrpoConfig.Builder config() {
    return GrpoConfig.builder()
        .totalSteps(4)
        .promptsPerStep(2)
        .groupSize(4)
        .learningRate(2e-2)
        .warmupRatio(0)
        .microBatchSize(4)
        .checkpointEvery(2)
        .rollout(RolloutConfig.searchR1().withMaxTurns(1).withTurnTokens(10, 16).withTopK(1))
        .seed(7);
  }

  Trainer trainer(Policy p, GrpoConfig cfg, Path runDir, Retriever r, boolean resume) {
    return Trainer.builder()
        .policy(p)
        .tokenizer(tok)
        .retriever(r)
        .promptTemplate(SHORT)
        .reward(PARIS)
        .trainData(data())
        .config(cfg)
        .runDir(runDir)
        .resume(resume)
        .build();
  }

  static double meanReward(Policy p, int seed) {
    RolloutEngine e =
        new RolloutEngine(
            p,
            tok,
            new FixedRetriever(),
            SHORT,
            RolloutConfig.searchR1().withMaxTurns(1).withTurnTokens(10, 16).withTopK(1));
    List<Trajectory> ts = e.rollout(List.of("who is the capital", "the city of france"), 16, seed);
    return ts.stream()
        .mapToDouble(
            t ->
                PARIS
                    .score(
                        new io.github.dartrl.grpo.reward.RewardInput(
                            "q", List.of("x"), t.responseText(), false, 0, List.of()))
                    .reward())
        .average()
        .orElseThrow();
  }

  @Test
  void shortRunIncreasesTheReward(@TempDir Path run) {
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok)) {
      double before = meanReward(p, 123);
      try (Trainer t =
          trainer(
              p,
              // 1e-2: at 2e-2 a late AdamW step on near-equal rewards (std-scaled advantages of
              // noise) can undo the toy policy at the last step
              config().totalSteps(8).checkpointEvery(0).learningRate(1e-2).build(),
              run,
              new FixedRetriever(),
              false)) {
        TrainResult r = t.fit();
        assertThat(r.steps()).isEqualTo(8);
        // π_old is recomputed with the same micro-batches: on-policy ratio exactly 1, nothing
        // clipped
        assertThat(r.history().get(0).value("actor/first_ratio_max_dev")).isZero();
        assertThat(r.history().get(0).value("actor/logprob_max_diff")).isLessThan(1e-4);
      }
      double after = meanReward(p, 123);
      assertThat(after)
          .as("reward before %.3f, after %.3f", before, after)
          .isGreaterThan(before + 0.1);
      assertThat(run.resolve("metrics.jsonl")).exists();
      assertThat(run.resolve("plots/reward.png")).exists();
      p.checkFrozenBackbone();
    }
  }

  @Test
  void resumeContinuesBitForBit(@TempDir Path a, @TempDir Path b) throws Exception {
    GrpoConfig cfg = config().build();
    float[] straight;
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t = trainer(p, cfg, a, new FixedRetriever(), false)) {
      t.fit();
      straight = flatten(p);
    }
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t = trainer(p, cfg, b, new FixedRetriever(), false)) {
      t.fitUntil(2);
    }
    assertThat(Trainer.latestCheckpoint(b))
        .hasValueSatisfying(d -> assertThat(d.getFileName().toString()).isEqualTo("step-000002"));
    float[] resumed;
    try (Policy p =
            Policy.create(
                model,
                PolicyConfig.dart().withSeed(99),
                tok); // different init: resume must overwrite it
        Trainer t = trainer(p, cfg, b, new FixedRetriever(), true)) {
      TrainResult r = t.fit();
      assertThat(r.steps()).isEqualTo(4);
      assertThat(r.history()).hasSize(4);
      resumed = flatten(p);
    }
    assertThat(resumed).isEqualTo(straight);
  }

  static float[] flatten(Policy p) {
    List<Float> all = new ArrayList<>();
    for (NDArray x : p.trainableParameters().values()) {
      for (float f : x.toFloatArray()) {
        all.add(f);
      }
    }
    float[] out = new float[all.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = all.get(i);
    }
    return out;
  }

  @Test
  void nonFiniteUpdateIsSkippedAndWeightsUntouched() {
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        NDManager m = model.newScope();
        AdamW opt = new AdamW(AdamW.Config.defaults(), p.trainableParameters(), m);
        Gradients g = new Gradients(p.trainableParameters(), m)) {
      GrpoConfig cfg = config().build();
      GrpoUpdate u =
          new GrpoUpdate(
              p, cfg, opt, g, LrSchedule.constant(1e-2, 0, 10), null, 0, cfg.trainRoles());
      RolloutEngine e = new RolloutEngine(p, tok, new FixedRetriever(), SHORT, cfg.rollout());
      List<Trajectory> ts = e.rollout(List.of("who is"), 4, 1);
      float[] before = flatten(p);
      float[] adv = {1f, Float.NaN, -1f, 0f};
      UpdateStats s = u.apply(ts, adv, 1);
      assertThat(s.skippedSteps()).isEqualTo(1);
      assertThat(s.optimizerSteps()).isZero();
      assertThat(flatten(p)).isEqualTo(before);
      assertThat(opt.stepCount()).isZero();
      // a finite update afterwards does move the weights
      UpdateStats ok = u.apply(ts, new float[] {1f, -1f, 0.5f, -0.5f}, 2);
      assertThat(ok.optimizerSteps()).isEqualTo(1);
      assertThat(flatten(p)).isNotEqualTo(before);
    }
  }

  @Test
  void observationAndPromptTokensCarryNoLossOrKl() {
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok)) {
      RolloutEngine e =
          new RolloutEngine(p, tok, new FixedRetriever(), SHORT, config().build().rollout());
      List<Trajectory> ts = e.rollout(List.of("who is", "capital"), 4, 3);
      SequenceBatch batch =
          new SequenceBatch(
              ts.stream().map(Trajectory::tokens).toList(),
              ts.stream().map(Trajectory::roles).toList(),
              0);
      float[] mask = batch.lossMask(java.util.EnumSet.of(TokenRole.REASONING, TokenRole.TOOL));
      int observationTargets = 0;
      for (int r = 0; r < ts.size(); r++) {
        for (int j = 0; j < batch.length(); j++) {
          int role = batch.targetRole(r, j);
          float w = mask[r * batch.length() + j];
          if (role == TokenRole.OBSERVATION.code() || role == TokenRole.PROMPT.code() || role < 0) {
            assertThat(w).isZero();
            observationTargets += role == TokenRole.OBSERVATION.code() ? 1 : 0;
          } else {
            assertThat(w).isEqualTo(1f);
          }
        }
      }
      assertThat(observationTargets).as("the rollout had observations").isPositive();
    }
  }

  @Test
  void strictIsolationTrainsOnlyTheServedAdapter() {
    // train on TOOL tokens only under STRICT: the reasoning adapter must not move at all
    try (Policy p = Policy.create(model, PolicyConfig.dart().withIsolation(Isolation.STRICT), tok);
        NDManager m = model.newScope()) {
      Map<String, NDArray> reasoningMask = p.adapters().gradientMasks(Method.REASONING_ADAPTER, m);
      GrpoConfig cfg = config().trainRoles(java.util.EnumSet.of(TokenRole.TOOL)).build();
      try (AdamW opt =
              new AdamW(new AdamW.Config(0.9, 0.999, 1e-8, 0), p.trainableParameters(), m);
          Gradients g = new Gradients(p.trainableParameters(), m)) {
        GrpoUpdate u =
            new GrpoUpdate(
                p, cfg, opt, g, LrSchedule.constant(1e-2, 0, 10), null, 0, cfg.trainRoles());
        RolloutEngine e = new RolloutEngine(p, tok, new FixedRetriever(), SHORT, cfg.rollout());
        List<Trajectory> ts = e.rollout(List.of("who is", "capital"), 8, 5);
        Map<String, float[]> before = slices(p, reasoningMask);
        u.apply(ts, new float[] {1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1}, 1);
        assertThat(slices(p, reasoningMask)).usingRecursiveComparison().isEqualTo(before);
      }
    }
  }

  static Map<String, float[]> slices(Policy p, Map<String, NDArray> masks) {
    Map<String, float[]> out = new java.util.TreeMap<>();
    masks.forEach((k, mask) -> out.put(k, p.trainableParameters().get(k).mul(mask).toFloatArray()));
    return out;
  }

  @Test
  void retrieverFailureStopsWithAClearErrorAndKeepsTheCheckpoint(@TempDir Path run)
      throws Exception {
    FixedRetriever r = new FixedRetriever();
    GrpoConfig cfg =
        config()
            .promptsPerStep(6)
            .groupSize(8)
            .rollout(RolloutConfig.searchR1().withMaxTurns(2).withTurnTokens(10, 16).withTopK(1))
            .build();
    // The resumed steps must call the retriever for it to fail. The random toy model never
    // completes a search; with its embeddings scaled by 3 about one rollout in eight does, and a
    // reward for searching keeps it so. (Before rewards read only the model's own text, the toy
    // PARIS reward was diluted by the corrective message's words, which taught it to search.)
    RewardFunction searches =
        in -> new RewardResult(in.validSearches() > 0 ? 1 : 0, false, null, Map.of());
    try (NDManager own = NDManager.newBaseManager("PyTorch");
        DecoderModel searching = HfCheckpoint.load(modelDir, own);
        Policy p = Policy.create(searching, PolicyConfig.dart(), tok)) {
      try (io.github.dartrl.core.model.GradMode off =
          io.github.dartrl.core.model.GradMode.disabled()) {
        io.github.dartrl.core.model.Scalars.muli(
            searching.parameters().get(io.github.dartrl.core.model.HfNames.EMBED), 3);
      }
      try (Trainer t =
          Trainer.builder()
              .policy(p)
              .tokenizer(tok)
              .retriever(r)
              .promptTemplate(SHORT)
              .reward(searches)
              .trainData(data())
              .config(cfg)
              .runDir(run)
              .build()) {
        t.fitUntil(2);
      }
      Path ckpt = Trainer.latestCheckpoint(run).orElseThrow();
      Map<Path, byte[]> before = snapshot(ckpt);
      r.fail = true;
      try (Trainer t =
          Trainer.builder()
              .policy(p)
              .tokenizer(tok)
              .retriever(r)
              .onRetrieverFailure(RetrieverFailurePolicy.stop(1, java.time.Duration.ZERO))
              .promptTemplate(SHORT)
              .reward(searches)
              .trainData(data())
              .config(cfg)
              .runDir(run)
              .resume(true)
              .build()) {
        assertThatThrownBy(t::fit)
            .isInstanceOf(TrainingHaltedException.class)
            .hasRootCauseInstanceOf(RetrieverException.class)
            .hasMessageContaining("127.0.0.1:9");
      }
      assertThat(snapshot(ckpt)).containsExactlyInAnyOrderEntriesOf(before);
      assertThat(Trainer.latestCheckpoint(run)).contains(ckpt);
    }
  }

  static Map<Path, byte[]> snapshot(Path dir) throws Exception {
    Map<Path, byte[]> m = new java.util.HashMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(f), Files.readAllBytes(f));
      }
    }
    return m;
  }

  @Test
  void eachStepIsReportedOnce(@TempDir Path run) {
    List<ch.qos.logback.classic.Logger> loggers =
        Stream.of(Trainer.class, io.github.dartrl.grpo.metrics.ProgressReporter.class)
            .map(c -> (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(c))
            .toList();
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
        new ch.qos.logback.core.read.ListAppender<>();
    appender.start();
    loggers.forEach(l -> l.addAppender(appender));
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t = trainer(p, config().totalSteps(1).build(), run, new FixedRetriever(), false)) {
      t.fit();
    } finally {
      loggers.forEach(l -> l.detachAppender(appender));
    }
    assertThat(appender.list)
        .filteredOn(e -> e.getFormattedMessage().startsWith("step 1/1"))
        .hasSize(1);
  }

  @Test
  void plotsAreAListenerThatCanBeTurnedOff(@TempDir Path on, @TempDir Path off) {
    List<TrainResult> ended = new ArrayList<>();
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            Trainer.builder()
                .policy(p)
                .tokenizer(tok)
                .retriever(new FixedRetriever())
                .promptTemplate(SHORT)
                .reward(PARIS)
                .trainData(data())
                .config(config().totalSteps(1).build())
                .runDir(off)
                .plots(false)
                .listener(
                    new TrainerListener() {
                      @Override
                      public void onFitEnd(TrainResult r) {
                        ended.add(r);
                      }
                    })
                .build()) {
      TrainResult r = t.fit();
      assertThat(ended).containsExactly(r);
    }
    assertThat(off.resolve("metrics.jsonl")).exists();
    assertThat(off.resolve("plots")).doesNotExist();
    // the default draws them (JFreeChart is on the test class path)
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t = trainer(p, config().totalSteps(1).build(), on, new FixedRetriever(), false)) {
      t.fit();
    }
    assertThat(on.resolve("plots/reward.png")).exists();
  }

  @Test
  void badConfigurationsAreRejected() {
    assertThatThrownBy(() -> config().groupSize(1).build()).hasMessageContaining("groupSize");
    assertThatThrownBy(() -> config().learningRate(0).build()).hasMessageContaining("learningRate");
    assertThatThrownBy(
            () -> config().trainRoles(java.util.EnumSet.of(TokenRole.OBSERVATION)).build())
        .hasMessageContaining("trainRoles");
    assertThatThrownBy(() -> config().miniBatches(100).build()).hasMessageContaining("miniBatches");
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok)) {
      assertThatThrownBy(
              () ->
                  trainer(
                      p,
                      config().promptsPerStep(50).build(),
                      modelDir,
                      new FixedRetriever(),
                      false))
          .hasMessageContaining("promptsPerStep");
    }
    try (Policy none = Policy.create(model, PolicyConfig.of(Method.NONE, 8), tok)) {
      assertThatThrownBy(
              () -> trainer(none, config().build(), modelDir, new FixedRetriever(), false))
          .hasMessageContaining("nothing to train");
    }
  }

  /** Sampled evaluation: the same seed gives the same responses, another seed or greedy others. */
  @Test
  void sampledEvaluationFollowsItsSeed() {
    List<QaExample> xs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      xs.add(new QaExample("q" + i, "who is the city " + i, List.of("paris"), "s", Map.of()));
    }
    QaDataset eval = QaDataset.of(xs);
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok)) {
      java.util.function.BiFunction<Boolean, Long, List<String>> responses =
          (greedy, seed) -> {
            List<String> out = new ArrayList<>();
            Evaluator.builder()
                .policy(p)
                .tokenizer(tok)
                .retriever(new FixedRetriever())
                .promptTemplate(SHORT)
                .reward(PARIS)
                .rollout(RolloutConfig.searchR1().withMaxTurns(1).withTurnTokens(10, 16))
                .batchSize(4)
                .greedy(greedy)
                .seed(seed)
                .build()
                .evaluate(eval, q -> out.add(q.response()));
            return out;
          };
      List<String> sampled = responses.apply(false, 1L);
      assertThat(responses.apply(false, 1L)).isEqualTo(sampled);
      assertThat(responses.apply(false, 2L)).isNotEqualTo(sampled);
      assertThat(responses.apply(true, 1L))
          .isNotEqualTo(sampled)
          .isEqualTo(responses.apply(true, 2L));
    }
  }

  @Test
  void evaluateIsGreedyDeterministicAndSplitsByDataSource(@TempDir Path run) {
    List<QaExample> xs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      xs.add(
          new QaExample("a" + i, "who is the capital " + i, List.of("paris"), "onehop", Map.of()));
    }
    for (int i = 0; i < 3; i++) {
      xs.add(
          new QaExample("b" + i, "the city of france " + i, List.of("france"), "twohop", Map.of()));
    }
    QaDataset eval = QaDataset.of(xs);
    try (Policy p = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer t =
            Trainer.builder()
                .policy(p)
                .tokenizer(tok)
                .retriever(new FixedRetriever())
                .promptTemplate(SHORT)
                .reward(io.github.dartrl.grpo.reward.RewardFunctions.named("em"))
                .trainData(data())
                .config(config().evalBatchSize(3).build())
                .runDir(run)
                .build()) {
      EvalResult a = t.evaluate(eval);
      EvalResult b = t.evaluate(eval);
      assertThat(a).isEqualTo(b);
      assertThat(a.countBySource()).containsEntry("onehop", 5).containsEntry("twohop", 3);
      // the overall EM is the count-weighted mean of the per-source EMs
      double weighted =
          (a.exactMatchBySource().get("onehop") * 5 + a.exactMatchBySource().get("twohop") * 3) / 8;
      assertThat(a.exactMatch()).isCloseTo(weighted, org.assertj.core.data.Offset.offset(1e-12));
      // and equals an independent greedy rollout scored with exact match
      RolloutEngine greedy =
          new RolloutEngine(
              p, tok, new FixedRetriever(), SHORT, config().build().rollout().withSampling(0, 1.0));
      List<Trajectory> ts = greedy.rollout(xs.stream().map(QaExample::question).toList(), 1, 1);
      double em = 0;
      for (Trajectory tr : ts) {
        String answer = io.github.dartrl.grpo.reward.AnswerExtractor.extract(tr.responseText());
        em +=
            answer != null
                    && io.github.dartrl.grpo.reward.AnswerMetrics.exactMatch(
                        answer, xs.get(tr.taskIndex()).goldenAnswers())
                    && !tr.truncated()
                ? 1
                : 0;
      }
      assertThat(a.exactMatch()).isEqualTo(em / xs.size());
      assertThatThrownBy(() -> QaDataset.of(List.of()))
          .hasMessageContaining("at least one example");
    }
  }
}

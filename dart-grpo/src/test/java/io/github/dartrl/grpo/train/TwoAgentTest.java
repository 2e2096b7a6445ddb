package io.github.dartrl.grpo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.HfNames;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.DataCursor;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 2-Agent baseline: two independent models, hand-off at the tool tags, catch-up prefill. */
class TwoAgentTest {

  @Test
  void eachAgentsTokensCarryItsOwnLogProbsAndTrainingRuns(@TempDir Path dir, @TempDir Path run)
      throws Exception {
    createModel(dir);
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel a = HfCheckpoint.load(dir, root);
        DecoderModel b = HfCheckpoint.load(dir, root);
        TextTokenizer tok = TextTokenizer.load(dir)) {
      makeAgentsDiffer(a, b);
      try (Policy reasoner = Policy.create(a, PolicyConfig.of(Method.FULL, 8), tok);
          Policy tool = Policy.create(b, PolicyConfig.of(Method.FULL, 8), tok)) {
        RolloutConfig rc =
            RolloutConfig.searchR1().withMaxTurns(2).withTurnTokens(12, 16).withTopK(1);
        RolloutEngine engine =
            RolloutEngine.twoAgent(
                reasoner, tool, tok, new TrainerTest.FixedRetriever(), TrainerTest.SHORT, rc);
        List<Trajectory> ts =
            engine.rollout(List.of("who is the capital", "the city of france"), 12, 5);
        long toolTokens =
            ts.stream()
                .flatMapToInt(t -> java.util.Arrays.stream(t.roles()))
                .filter(r -> r == TokenRole.TOOL.code())
                .count();
        assertThat(toolTokens).as("some hand-offs to the tool agent").isPositive();
        SequenceBatch batch =
            new SequenceBatch(
                ts.stream().map(Trajectory::tokens).toList(),
                ts.stream().map(Trajectory::roles).toList(),
                0);
        float[] byReasoner;
        float[] byTool;
        try (GradMode off = GradMode.disabled();
            NDManager s = a.newScope()) {
          byReasoner = reasoner.logProbs(s, batch, 1f).toFloatArray();
          byTool = tool.logProbs(s, batch, 1f).toFloatArray();
        }
        for (int r = 0; r < ts.size(); r++) {
          Trajectory t = ts.get(r);
          for (int p = 1; p < t.tokens().length; p++) {
            int col = r * batch.length() + batch.padding(r) + p - 1;
            if (t.roles()[p] == TokenRole.REASONING.code()) {
              assertThat(t.logProbs()[p]).isCloseTo(byReasoner[col], within(1e-4f));
            } else if (t.roles()[p] == TokenRole.TOOL.code()) {
              assertThat(t.logProbs()[p]).isCloseTo(byTool[col], within(1e-4f));
            }
          }
        }
        GrpoConfig cfg =
            TrainerTest.config().learningRate(1e-3).checkpointEvery(0).totalSteps(2).build();
        try (Trainer trainer =
            Trainer.builder()
                .policy(reasoner)
                .toolAgent(tool)
                .tokenizer(tok)
                .retriever(new TrainerTest.FixedRetriever())
                .promptTemplate(TrainerTest.SHORT)
                .reward(TrainerTest.PARIS)
                .trainData(TrainerTest.data())
                .config(cfg)
                .runDir(run)
                .build()) {
          TrainResult res = trainer.fit();
          assertThat(res.history().get(1).values())
              .containsKeys("actor/pg_loss", "tool_actor/pg_loss");
          // 2-Agent evaluation: the trainer's equals a stand-alone Evaluator's, whose responses
          // are the hand-off engine's greedy ones
          QaDataset evalSet = TrainerTest.data();
          List<QuestionResult> rows = new ArrayList<>();
          EvalResult alone =
              Evaluator.builder()
                  .policy(reasoner)
                  .toolAgent(tool)
                  .tokenizer(tok)
                  .retriever(new TrainerTest.FixedRetriever())
                  .promptTemplate(TrainerTest.SHORT)
                  .reward(TrainerTest.PARIS)
                  .config(cfg)
                  .batchSize(evalSet.size())
                  .build()
                  .evaluate(evalSet, rows::add);
          assertThat(trainer.evaluator().labelled("x").evaluate(evalSet)).isEqualTo(alone);
          List<String> questions = evalSet.examples().stream().map(e -> e.question()).toList();
          List<Trajectory> greedy =
              RolloutEngine.twoAgent(
                      reasoner,
                      tool,
                      tok,
                      new TrainerTest.FixedRetriever(),
                      TrainerTest.SHORT,
                      cfg.rollout().withSampling(0, 1.0))
                  .rollout(questions, 1, cfg.seed());
          assertThat(rows)
              .extracting(QuestionResult::response)
              .containsExactlyElementsOf(greedy.stream().map(Trajectory::responseText).toList());
        }
        Path ckpt = Trainer.latestCheckpoint(run).orElseThrow();
        assertThat(ckpt.resolve("reasoner/model/model.safetensors")).exists();
        assertThat(ckpt.resolve("tool/model/model.safetensors")).exists();
        assertThat(Files.exists(ckpt.resolve("tool/optimizer.safetensors"))).isTrue();
      }
    }
  }

  /** Writes the tiny model both agents start from. */
  static void createModel(Path dir) {
    TinyModels.create(
        dir,
        List.of(
            "who", "is", "the", "capital", "of", "paris", "france", "city", "question", ":", "."),
        new TinyModels.Size(32, 2, 4, 2, 64, 512),
        8);
  }

  /** Makes the two agents differ, and tags likely so that hand-offs happen. */
  static void makeAgentsDiffer(DecoderModel a, DecoderModel b) {
    try (GradMode off = GradMode.disabled()) {
      a.parameters().get(HfNames.EMBED).muli(10f);
      b.parameters().get(HfNames.EMBED).muli(-7f);
    }
  }

  /** Every array of a map, copied (snapshots of weights). */
  static Map<String, float[]> snapshot(Map<String, NDArray> arrays) {
    Map<String, float[]> out = new TreeMap<>();
    arrays.forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }

  static boolean changed(Map<String, float[]> before, Map<String, NDArray> now) {
    return before.entrySet().stream()
        .anyMatch(e -> !Arrays.equals(e.getValue(), now.get(e.getKey()).toFloatArray()));
  }

  /**
   * 2-Agent training changes what it should and nothing else: with LoRA agents both agents'
   * adapters move and neither backbone does; and in a run whose rollouts contain no tool tokens
   * (the reasoner never opens the tool span) the tool agent, which learns only from tool tokens,
   * stays bit for bit, while the reasoner learns from its reasoning tokens.
   */
  @Test
  void eachAgentLearnsOnlyFromItsOwnTokensAndFrozenBackbonesStay(
      @TempDir Path dir, @TempDir Path run1, @TempDir Path run2) {
    createModel(dir);
    GrpoConfig.Builder base =
        TrainerTest.config()
            .learningRate(1e-2)
            .checkpointEvery(0)
            .totalSteps(2)
            .groupSize(8)
            .microBatchSize(8)
            .optimizer(new AdamW.Config(0.9, 0.999, 1e-8, 0)); // no decay: no gradient, no change
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel a = HfCheckpoint.load(dir, root);
        DecoderModel b = HfCheckpoint.load(dir, root);
        TextTokenizer tok = TextTokenizer.load(dir)) {
      makeAgentsDiffer(a, b);
      Map<String, float[]> backboneA = snapshot(a.parameters());
      Map<String, float[]> backboneB = snapshot(b.parameters());
      // 1. LoRA agents, Search-R1 tags: hand-offs happen, both adapters learn, backbones frozen
      try (Policy reasoner = Policy.create(a, PolicyConfig.of(Method.LORA, 4), tok);
          Policy tool = Policy.create(b, PolicyConfig.of(Method.LORA, 4), tok)) {
        Map<String, float[]> adaptersA = snapshot(reasoner.trainableParameters());
        Map<String, float[]> adaptersB = snapshot(tool.trainableParameters());
        GrpoConfig cfg = base.build();
        // step 1's rollouts, replayed (same prompts, same seed, same untrained agents): the mean
        // entropy each learner logs at step 1 is over exactly its own role's tokens, under its
        // model
        List<Trajectory> step1 = replayFirstRollout(reasoner, tool, tok, cfg);
        double reasonerEntropy = meanEntropy(reasoner, step1, TokenRole.REASONING);
        double toolEntropy = meanEntropy(tool, step1, TokenRole.TOOL);
        List<StepMetrics> steps = train(reasoner, tool, tok, cfg, run1);
        assertThat(steps.get(0).value("actor/entropy"))
            .as("reasoner's loss runs over reasoning tokens only")
            .isCloseTo(reasonerEntropy, within(1e-4));
        assertThat(steps.get(0).value("tool_actor/entropy"))
            .as("tool agent's loss runs over tool tokens only")
            .isCloseTo(toolEntropy, within(1e-4));
        // and the two differ from what the other role's tokens would give (the check has power)
        assertThat(meanEntropy(reasoner, step1, TokenRole.TOOL))
            .isNotCloseTo(reasonerEntropy, within(1e-3));
        assertThat(steps.stream().mapToDouble(m -> m.value("tool_actor/grad_norm")).sum())
            .as("the tool agent had tokens to learn from")
            .isPositive();
        assertThat(changed(adaptersA, reasoner.trainableParameters()))
            .as("reasoner adapters")
            .isTrue();
        assertThat(changed(adaptersB, tool.trainableParameters())).as("tool adapters").isTrue();
        assertThat(changed(backboneA, a.parameters())).as("reasoner backbone").isFalse();
        assertThat(changed(backboneB, b.parameters())).as("tool backbone").isFalse();
        reasoner.checkFrozenBackbone();
        tool.checkFrozenBackbone();
      }
      // 2. FULL agents, a tool span the model cannot emit: no TOOL token, so the tool agent has
      // nothing to learn from; if it learned from reasoning tokens it would move
      RolloutConfig rc = base.build().rollout();
      RolloutConfig noTool =
          new RolloutConfig(
              rc.maxTurns(),
              rc.maxTurnTokens(),
              rc.maxObservationTokens(),
              rc.topK(),
              rc.temperature(),
              rc.topP(),
              new ToolSpan("<sql>", "</sql>"),
              rc.answer(),
              rc.invalidActionMessage());
      // the router routes the rollout's span (the engine checks that it does)
      PolicyConfig sqlRouted = PolicyConfig.of(Method.FULL, 4).withSpans(List.of(noTool.search()));
      try (Policy reasoner = Policy.create(a, sqlRouted, tok);
          Policy tool = Policy.create(b, sqlRouted, tok)) {
        List<StepMetrics> steps = train(reasoner, tool, tok, base.rollout(noTool).build(), run2);
        assertThat(steps.stream().mapToDouble(m -> m.value("actor/grad_norm")).sum())
            .as("the reasoner had tokens to learn from")
            .isPositive();
        assertThat(changed(backboneA, a.parameters())).as("reasoner").isTrue();
        assertThat(changed(backboneB, b.parameters()))
            .as("tool agent without tool tokens")
            .isFalse();
      }
    }
  }

  private static List<StepMetrics> train(
      Policy reasoner, Policy tool, TextTokenizer tok, GrpoConfig cfg, Path run) {
    List<StepMetrics> steps = new ArrayList<>();
    try (Trainer trainer =
        Trainer.builder()
            .policy(reasoner)
            .toolAgent(tool)
            .tokenizer(tok)
            .retriever(new TrainerTest.FixedRetriever())
            .promptTemplate(TrainerTest.SHORT)
            .reward(KlReferenceTest.LENGTH)
            .trainData(TrainerTest.data())
            .config(cfg)
            .runDir(run)
            .listener(
                new TrainerListener() {
                  @Override
                  public void onStep(StepMetrics metrics) {
                    steps.add(metrics);
                  }
                })
            .build()) {
      trainer.fit();
    }
    return steps;
  }

  /** The trajectories of the Trainer's first step: its prompts (DataCursor) and step seed. */
  private static List<Trajectory> replayFirstRollout(
      Policy reasoner, Policy tool, TextTokenizer tok, GrpoConfig cfg) {
    var train = TrainerTest.data();
    int[] idx = new DataCursor(train.size(), cfg.seed()).nextBatch(cfg.promptsPerStep());
    List<String> questions = new ArrayList<>();
    for (int i : idx) {
      questions.add(train.get(i).question());
    }
    long stepSeed = cfg.seed() * 1_000_003L;
    return RolloutEngine.twoAgent(
            reasoner, tool, tok, new TrainerTest.FixedRetriever(), TrainerTest.SHORT, cfg.rollout())
        .rollout(questions, cfg.groupSize(), stepSeed);
  }

  /** Mean next-token entropy of {@code p} over the positions predicting a {@code role} token. */
  private static double meanEntropy(Policy p, List<Trajectory> ts, TokenRole role) {
    SequenceBatch batch =
        new SequenceBatch(
            ts.stream().map(Trajectory::tokens).toList(),
            ts.stream().map(Trajectory::roles).toList(),
            0);
    float[] mask = batch.lossMask(java.util.EnumSet.of(role));
    float[] h;
    try (GradMode off = GradMode.disabled();
        NDManager s = p.model().newScope()) {
      h = p.logProbsAndEntropy(s, batch, 1f, false).get(1).toFloatArray();
    }
    double sum = 0;
    double n = 0;
    for (int i = 0; i < h.length; i++) {
      sum += mask[i] * h[i];
      n += mask[i];
    }
    assertThat(n).as("%s tokens in the replayed rollout", role).isPositive();
    return sum / n;
  }

  @Test
  void twoAgentRefusesSeveralToolsInsteadOfGivingThemAllToOneToolModel(@TempDir Path dir) {
    TinyModels.create(dir, List.of("who", "is"), new TinyModels.Size(32, 2, 4, 2, 64, 512), 8);
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel a = HfCheckpoint.load(dir, root);
        DecoderModel b = HfCheckpoint.load(dir, root);
        TextTokenizer tok = TextTokenizer.load(dir)) {
      PolicyConfig twoTools =
          PolicyConfig.of(Method.FULL, 8)
              .withSpans(
                  List.of(
                      io.github.dartrl.core.routing.ToolSpan.search(),
                      io.github.dartrl.core.routing.ToolSpan.sql()));
      try (Policy reasoner = Policy.create(a, twoTools, tok);
          Policy tool = Policy.create(b, twoTools, tok)) {
        RolloutConfig rc = RolloutConfig.searchR1().withMaxTurns(1).withTurnTokens(8, 16);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () ->
                    RolloutEngine.twoAgent(
                        reasoner,
                        tool,
                        tok,
                        new TrainerTest.FixedRetriever(),
                        TrainerTest.SHORT,
                        rc))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("support one tool")
            .hasMessageContaining("2 tool spans");
      }
    }
  }
}

package io.github.dartrl.leas.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.routing.RoleAdapterMap;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.leas.LeasFixtures;
import io.github.dartrl.leas.variant.CeaModel;
import io.github.dartrl.leas.variant.Generator;
import io.github.dartrl.leas.variant.HybridMode;
import io.github.dartrl.leas.variant.VariantRolloutEngine;
import io.github.dartrl.leas.variant.VariantSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttributionRunnerTest {
  @TempDir static Path tmp;
  static Path base;
  static NDManager root;

  static final List<QaExample> QUESTIONS =
      List.of(
          QaExample.of("q1", "who is the capital", List.of("paris")),
          QaExample.of("q2", "the city of france", List.of("rome")));

  /** Saves a single-LoRA (or other method) policy with random B for the model in {@code base}. */
  static Path adapters(String name, Method method, long seed, Path modelDir) {
    Path out = tmp.resolve(name);
    try (NDManager m = NDManager.newBaseManager("PyTorch");
        DecoderModel model = HfCheckpoint.load(modelDir, m);
        TextTokenizer tok = TextTokenizer.load(modelDir);
        Policy p = Policy.create(model, PolicyConfig.of(method, 4).withSeed(seed), tok)) {
      LeasFixtures.randomizeB(p.adapters(), seed);
      PolicyCheckpoint.save(p, out);
    }
    return out;
  }

  @BeforeAll
  static void setUp() {
    base = tmp.resolve("base");
    LeasFixtures.createTiny(base, 4);
    adapters("reas", Method.LORA, 1, base);
    adapters("tool", Method.LORA, 2, base);
    adapters("unified", Method.LORA, 3, base);
    root = NDManager.newBaseManager("PyTorch");
  }

  @AfterAll
  static void tearDown() {
    root.close();
  }

  /** A runner on the scripted retriever whose reward calls a response correct by {@code hit}. */
  static AttributionRunner.Builder scripted(VariantSet v, Predicate<String> hit) {
    return AttributionRunner.builder()
        .setVariants(v)
        .setRetriever(new LeasFixtures.ScriptedRetriever())
        .optTemplate(LeasFixtures.SHORT)
        .optRollout(LeasFixtures.rollout())
        .optReward(
            in -> {
              boolean h = hit.test(in.response());
              return new RewardResult(h ? 1 : 0, h, null, Map.of());
            });
  }

  static VariantSet load() {
    return VariantSet.load(
        base, tmp.resolve("reas"), tmp.resolve("tool"), tmp.resolve("unified"), root);
  }

  @Test
  void adapterDirectoriesBecomeOneStackOnTheSharedBackbone() {
    try (VariantSet v = load()) {
      assertThat(v.base().adapter()).isEqualTo(-1);
      assertThat(List.of(v.reas().adapter(), v.tool().adapter(), v.unified().adapter()))
          .containsExactly(0, 1, 2);
      assertThat(v.reas().model()).isSameAs(v.base().model()).isSameAs(v.unified().model());
      assertThat(v.reasoningSide(CeaModel.H_TOOL)).isSameAs(v.base());
      assertThat(v.toolSide(CeaModel.H_TOOL)).isSameAs(v.tool());
      assertThat(v.reasoningSide(CeaModel.H_REAS)).isSameAs(v.reas());
      assertThat(v.toolSide(CeaModel.H_REAS)).isSameAs(v.base());
      // the stacked Tool adapter computes what the Tool directory loaded on its own computes
      Generator tool = v.tool();
      List<Trajectory> ts =
          new VariantRolloutEngine(
                  tool,
                  tool,
                  HybridMode.HANDOFF,
                  v.router(),
                  v.tokenizer(),
                  new LeasFixtures.ScriptedRetriever(),
                  LeasFixtures.SHORT,
                  LeasFixtures.rollout())
              .rollout(List.of("who is the capital"), 2, 1);
      float[][] stacked = LeasFixtures.logProbs(tool.model(), ts, RoleAdapterMap.uniform(1));
      try (NDManager m = NDManager.newBaseManager("PyTorch");
          DecoderModel alone = HfCheckpoint.load(base, m);
          Policy p = PolicyCheckpoint.load(alone, tmp.resolve("tool"), v.tokenizer())) {
        float[][] single = LeasFixtures.logProbs(alone, ts, p.roleMap());
        for (int i = 0; i < ts.size(); i++) {
          for (int j = 1; j < stacked[i].length; j++) {
            assertThat(stacked[i][j])
                .isCloseTo(single[i][j], org.assertj.core.api.Assertions.within(1e-5f));
          }
        }
      }
    }
  }

  @Test
  void countsEverySampleOfEveryVariantReproducibly() {
    try (VariantSet v = load()) {
      AttributionRunner runner =
          // deterministic stand-in for EM so counts vary: "correct" if the response mentions a
          // word of the gold answer's world
          scripted(v, response -> response.contains("paris") || response.contains("is"))
              .optSamples(2)
              .optQuestionsPerBatch(2)
              .optSeed(7)
              .build();
      AttributionRun a = runner.run(QUESTIONS);
      AttributionRun b = runner.run(QUESTIONS);
      assertThat(a.counts().size()).isEqualTo(2);
      for (int q = 0; q < 2; q++) {
        assertThat(a.counts().questions().get(q).samples()).containsOnly(2);
        assertThat(a.counts().questions().get(q).correct())
            .containsExactly(b.counts().questions().get(q).correct());
      }
      assertThat(a.diagnostics()).containsOnlyKeys(CeaModel.values());
      assertThat(a.diagnostics().get(CeaModel.H_TOOL).samples()).isEqualTo(4);
      int total =
          a.counts().questions().stream()
              .mapToInt(q -> java.util.Arrays.stream(q.correct()).sum())
              .sum();
      assertThat(total).as("the stand-in reward fires sometimes").isPositive();
    }
    assertThatThrownBy(
            () -> {
              try (VariantSet v = load()) {
                AttributionRunner.builder()
                    .setVariants(v)
                    .setRetriever(new LeasFixtures.ScriptedRetriever())
                    .build()
                    .run(List.of());
              }
            })
        .hasMessageContaining("no questions");
  }

  /**
   * Six identical models (adapters with B = 0 are Base): with common random numbers the four
   * single-lane variants draw exactly the same samples, so their counts are equal (λ23 = 0); with
   * independent streams, the default, they draw differently, as the identical-models null assumes.
   */
  @Test
  void independentStreamsDecoupleIdenticalVariantsThatCommonNumbersMakeEqual() {
    Path zero = tmp.resolve("zero");
    if (!Files.isDirectory(zero)) {
      try (NDManager m = NDManager.newBaseManager("PyTorch");
          DecoderModel model = HfCheckpoint.load(base, m);
          TextTokenizer tok = TextTokenizer.load(base);
          Policy p = Policy.create(model, PolicyConfig.of(Method.LORA, 4), tok)) {
        PolicyCheckpoint.save(p, zero); // B = 0: the adapter changes nothing
      }
    }
    List<CeaModel> single = List.of(CeaModel.BASE, CeaModel.REAS, CeaModel.TOOL, CeaModel.UNIFIED);
    try (VariantSet v = VariantSet.load(base, zero, zero, zero, root)) {
      Map<SamplingStreams, AttributionRun> runs = new java.util.EnumMap<>(SamplingStreams.class);
      for (SamplingStreams s : SamplingStreams.values()) {
        runs.put(
            s,
            // "correct" on odd response hashes: a count that follows the sampled text
            scripted(v, response -> (response.hashCode() & 1) == 1)
                .optSamples(6)
                .optQuestionsPerBatch(2)
                .optSeed(5)
                .optStreams(s)
                .build()
                .run(QUESTIONS));
      }
      AttributionRun common = runs.get(SamplingStreams.COMMON);
      AttributionRun independent = runs.get(SamplingStreams.INDEPENDENT);
      assertThat(common.streams()).isEqualTo(SamplingStreams.COMMON);
      for (CeaModel m : single) {
        assertThat(common.diagnostics().get(m)).isEqualTo(common.diagnostics().get(CeaModel.BASE));
        for (QuestionCounts q : common.counts().questions()) {
          assertThat(q.correct()[m.ordinal()]).isEqualTo(q.correct()[CeaModel.BASE.ordinal()]);
        }
      }
      assertThat(single.stream().map(m -> independent.diagnostics().get(m)).distinct().count())
          .as("independent streams: the identical variants' samples differ")
          .isGreaterThan(1);
    }
  }

  @Test
  void aTimeLimitStopsBeforeTheNextBatchAndKeepsWhatWasSampled() {
    try (VariantSet v = load()) {
      AttributionRunner.Builder b =
          AttributionRunner.builder()
              .setVariants(v)
              .setRetriever(new LeasFixtures.ScriptedRetriever())
              .optTemplate(LeasFixtures.SHORT)
              .optRollout(LeasFixtures.rollout())
              .optSamples(2)
              .optQuestionsPerBatch(1)
              .optSeed(7);
      // 1 ns: the first batch always runs, the second would end after the limit
      AttributionRun cut = b.optTimeLimit(java.time.Duration.ofNanos(1)).build().run(QUESTIONS);
      assertThat(cut.counts().questions()).extracting(QuestionCounts::id).containsExactly("q1");
      assertThat(cut.diagnostics().get(CeaModel.BASE).samples()).isEqualTo(2);
      AttributionRun all = b.optTimeLimit(java.time.Duration.ofHours(1)).build().run(QUESTIONS);
      assertThat(all.counts().questions())
          .extracting(QuestionCounts::id)
          .containsExactly("q1", "q2");
      assertThat(all.counts().questions().get(0).correct())
          .as("the same seed per batch: the first question's counts do not depend on the limit")
          .containsExactly(cut.counts().questions().get(0).correct());
      assertThatThrownBy(() -> b.optTimeLimit(java.time.Duration.ZERO).build())
          .hasMessageContaining("timeLimit must be positive");
    }
  }

  @Test
  void mismatchedDirectoriesAreClearErrors() throws Exception {
    Path reas = tmp.resolve("reas");
    Path tool = tmp.resolve("tool");
    // adapters trained on a wider model
    Path wide = tmp.resolve("wide");
    io.github.dartrl.core.model.TinyModels.create(
        wide,
        LeasFixtures.WORDS,
        new io.github.dartrl.core.model.TinyModels.Size(64, 2, 4, 2, 64, 1024),
        1);
    Path wideAdapters = adapters("wide-lora", Method.LORA, 5, wide);
    assertThatThrownBy(() -> VariantSet.load(base, wideAdapters, tool, reas, root))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Reas adapters in")
        .hasMessageContaining("do not fit the base model");
    // a DART directory is two adapters, not one model
    Path dart = adapters("dart", Method.DART, 6, base);
    assertThatThrownBy(() -> VariantSet.load(base, reas, dart, reas, root))
        .hasMessageContaining("Tool adapters")
        .hasMessageContaining("single LORA adapter");
    assertThatThrownBy(() -> VariantSet.load(base, reas, tool, tmp.resolve("nope"), root))
        .hasMessageContaining("Unified directory not found");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> VariantSet.load(base, empty, tool, reas, root))
        .hasMessageContaining("neither an adapter directory");
    // a full model with another tokenizer
    Path other = tmp.resolve("other");
    io.github.dartrl.core.model.TinyModels.create(
        other,
        List.of("a", "b", "c"),
        new io.github.dartrl.core.model.TinyModels.Size(32, 2, 4, 2, 64, 1024),
        2);
    assertThatThrownBy(() -> VariantSet.load(base, reas, tool, other, root))
        .hasMessageContaining("different tokenizer.json");
    // a full model with the same tokenizer is fine: its own backbone, no adapter
    try (VariantSet v = VariantSet.load(base, reas, tool, base, root)) {
      assertThat(v.unified().model()).isNotSameAs(v.base().model());
      assertThat(v.unified().adapter()).isEqualTo(-1);
    }
  }
}

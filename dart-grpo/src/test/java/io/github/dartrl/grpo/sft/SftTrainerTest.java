package io.github.dartrl.grpo.sft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.HfNames;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.metrics.MetricsLog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftTrainerTest {
  @TempDir static Path modelDir;
  static NDManager root;
  static TextTokenizer tok;

  @BeforeAll
  static void setUp() {
    TinyModels.create(
        modelDir,
        List.of(
            "question", ":", "capital", "of", "france", "germany", "paris", "berlin", "is", "."),
        new TinyModels.Size(32, 2, 4, 2, 64, 128),
        3);
    root = NDManager.newBaseManager("PyTorch");
    tok = TextTokenizer.load(modelDir);
  }

  @AfterAll
  static void tearDown() {
    tok.close();
    root.close();
  }

  /** Tokens of consecutive segments, each with one role. */
  static Demonstration demo(Object... textThenRole) {
    List<Long> ids = new ArrayList<>();
    List<Integer> roles = new ArrayList<>();
    for (int i = 0; i < textThenRole.length; i += 2) {
      for (long id : tok.encode((String) textThenRole[i])) {
        ids.add(id);
        roles.add(((TokenRole) textThenRole[i + 1]).code());
      }
    }
    return new Demonstration(
        ids.stream().mapToLong(Long::longValue).toArray(),
        roles.stream().mapToInt(Integer::intValue).toArray());
  }

  static final TokenRole P = TokenRole.PROMPT;
  static final TokenRole R = TokenRole.REASONING;
  static final TokenRole T = TokenRole.TOOL;
  static final TokenRole O = TokenRole.OBSERVATION;

  static List<Demonstration> demos() {
    return List.of(
        demo(
            "question : capital of france",
            P,
            "<search>",
            R,
            "france </search>",
            T,
            "<information> paris is capital of france . </information>",
            O,
            "<answer> paris </answer>",
            R),
        demo(
            "question : capital of germany",
            P,
            "<search>",
            R,
            "germany </search>",
            T,
            "<information> berlin is capital of germany . </information>",
            O,
            "<answer> berlin </answer>",
            R),
        demo("question : paris is capital of", P, "<answer> france </answer>", R),
        demo("question : berlin is capital of", P, "<answer> germany </answer>", R));
  }

  /**
   * Runs {@code body} with a fresh model loaded from the fixture and a policy of {@code method}.
   */
  static void withPolicy(Method method, Consumer<Policy> body) {
    try (DecoderModel model = HfCheckpoint.load(modelDir, root);
        Policy policy = Policy.create(model, PolicyConfig.of(method, 4), tok)) {
      body.accept(policy);
    }
  }

  static SftConfig.Builder config() {
    return SftConfig.builder()
        .learningRate(1e-2)
        .epochs(15)
        .batchSize(2)
        .microBatchSize(1)
        .warmupRatio(0)
        .logEvery(5)
        .seed(1);
  }

  static SftTrainer trainer(Policy p, SftConfig c) {
    return SftTrainer.builder().policy(p).config(c).padId(tok.padTokenId().orElse(0)).build();
  }

  @Test
  void fullFineTuningLowersTheLossAndWritesMetrics(@TempDir Path runDir) throws Exception {
    withPolicy(
        Method.FULL,
        p -> {
          SftTrainer t =
              SftTrainer.builder()
                  .policy(p)
                  .config(config().build())
                  .padId(tok.padTokenId().orElse(0))
                  .runDir(runDir)
                  .build();
          double before = t.loss(demos());
          SftResult r = t.fit(demos());
          double after = t.loss(demos());

          assertThat(r.steps()).isEqualTo(30);
          assertThat(r.losses()).hasSize(30);
          assertThat(r.skippedSteps()).isZero();
          assertThat(after).isLessThan(0.5 * before);
          assertThat(r.finalLoss(4)).isLessThan(0.5 * r.losses().get(0));
          assertThat(r.trainedTokens()).isEqualTo(15L * trainedTokens(demos()));
          assertThat(r.logged()).hasSize(6);
        });
    assertThat(MetricsLog.read(runDir.resolve(MetricsLog.FILE_NAME))).hasSize(6);
    assertThat(runDir.resolve("plots/loss.png")).exists();
  }

  @Test
  void dartAdaptersLearnWhileTheBackboneStaysFrozen() {
    withPolicy(
        Method.DART,
        p -> {
          SftTrainer t = trainer(p, config().learningRate(3e-2).build());
          double before = t.loss(demos());
          t.fit(demos());
          // A near-uniform random backbone (std 0.02) leaves rank-4 adapters little to work with:
          // the loss falls, slowly.
          assertThat(t.loss(demos())).isLessThan(0.9 * before);
          p.checkFrozenBackbone();
        });
  }

  @Test
  void lossIsTheMeanNegativeLogProbOfReasoningAndToolTokensOnly() {
    withPolicy(
        Method.FULL,
        p -> {
          List<Demonstration> ds = demos();
          // Independent statement: sum -log p over positions whose *target* is REASONING or TOOL.
          double sum = 0;
          int count = 0;
          for (Demonstration d : ds) {
            SequenceBatch b =
                new SequenceBatch(
                    List.of(d.tokens()), List.of(d.roles()), tok.padTokenId().orElse(0));
            float[] lp;
            try (GradMode off = GradMode.disabled();
                NDManager scope = p.model().newScope()) {
              lp = p.logProbs(scope, b, 1f).toFloatArray();
            }
            for (int j = 0; j + 1 < d.length(); j++) {
              TokenRole next = TokenRole.ofCode(d.roles()[j + 1]);
              if (next == TokenRole.REASONING || next == TokenRole.TOOL) {
                sum -= lp[j];
                count++;
              }
            }
          }
          assertThat(count).isEqualTo(trainedTokens(ds));
          assertThat(trainer(p, config().build()).loss(ds)).isCloseTo(sum / count, within(1e-5));
        });
  }

  @Test
  void observationAndPromptTargetsCarryNoGradient() {
    // The same demonstration followed by different OBSERVATION (or PROMPT) tokens: those tokens
    // come after every trained token, so they change no trained token's context. Had they any
    // weight in the loss, the loss and gradient would change with them.
    Demonstration base = demo("question : capital of france", P, "<answer> paris </answer>", R);
    List<Demonstration> variants =
        List.of(
            base,
            withTail(base, "berlin is capital of germany", O),
            withTail(base, "paris paris france .", O),
            withTail(base, "germany germany", P));
    withPolicy(
        Method.FULL,
        p -> {
          SftTrainer t = trainer(p, config().build());
          List<Map<String, float[]>> grads = new ArrayList<>();
          List<Double> losses = new ArrayList<>();
          for (Demonstration d : variants) {
            try (Gradients g = new Gradients(p.trainableParameters(), root)) {
              losses.add(t.backward(List.of(d), new int[] {0}, g));
              Map<String, float[]> copy = new LinkedHashMap<>();
              p.trainableParameters().keySet().forEach(k -> copy.put(k, g.get(k).toFloatArray()));
              grads.add(copy);
            }
          }
          for (int v = 1; v < variants.size(); v++) {
            assertThat(losses.get(v)).isCloseTo(losses.get(0), within(1e-6));
            assertSameGradients(grads.get(0), grads.get(v));
          }
        });
  }

  static Demonstration withTail(Demonstration d, String text, TokenRole role) {
    long[] tail = tok.encode(text);
    long[] ids = Arrays.copyOf(d.tokens(), d.length() + tail.length);
    System.arraycopy(tail, 0, ids, d.length(), tail.length);
    int[] roles = Arrays.copyOf(d.roles(), ids.length);
    Arrays.fill(roles, d.length(), ids.length, role.code());
    return new Demonstration(ids, roles);
  }

  static void assertSameGradients(Map<String, float[]> a, Map<String, float[]> b) {
    assertThat(b.keySet()).isEqualTo(a.keySet());
    a.forEach(
        (k, v) -> {
          float[] w = b.get(k);
          float scale = 0;
          for (float x : v) {
            scale = Math.max(scale, Math.abs(x));
          }
          for (int i = 0; i < v.length; i++) {
            assertThat(w[i]).as(k + "[" + i + "]").isCloseTo(v[i], within(1e-5f * scale + 1e-9f));
          }
        });
  }

  @Test
  void aNonFiniteLossSkipsTheUpdateAndLeavesTheWeightsUntouched() {
    withPolicy(
        Method.FULL,
        p -> {
          NDArray norm = p.model().parameters().get(HfNames.FINAL_NORM);
          try (GradMode off = GradMode.disabled()) {
            norm.set(new ai.djl.ndarray.index.NDIndex("0"), Float.NaN);
          }
          String probe = HfNames.projection(0, "q_proj") + ".weight";
          float[] before = p.model().parameters().get(probe).toFloatArray();
          SftResult r = trainer(p, config().epochs(2).build()).fit(demos());
          assertThat(r.skippedSteps()).isEqualTo(r.steps()).isEqualTo(4);
          assertThat(r.losses()).allMatch(v -> v.isNaN());
          assertThat(p.model().parameters().get(probe).toFloatArray()).isEqualTo(before);
        });
  }

  @Test
  void demonstrationsAndInputsAreValidated() {
    assertThatThrownBy(() -> new Demonstration(new long[] {1, 2}, new int[] {0}))
        .hasMessageContaining("one role per token");
    assertThatThrownBy(() -> new Demonstration(new long[] {1, 2}, new int[] {0, 3}))
        .hasMessageContaining("REASONING or TOOL");
    assertThatThrownBy(() -> new Demonstration(new long[] {1, 2}, new int[] {1, 0}))
        .as("the first token has no context, so it cannot be the only trained one")
        .hasMessageContaining("REASONING or TOOL");
    // 9 is a tool's code (tool 6: TokenRole.toolCode); negative codes are no role at all
    assertThatThrownBy(() -> new Demonstration(new long[] {1, 2}, new int[] {0, -1}))
        .hasMessageContaining("unknown role code -1");
    withPolicy(
        Method.FULL,
        p -> {
          SftTrainer t = trainer(p, config().build());
          assertThatThrownBy(() -> t.fit(List.of())).hasMessageContaining("no demonstrations");
          int vocab = p.model().config().vocabSize();
          Demonstration outside = new Demonstration(new long[] {1, vocab}, new int[] {0, 1});
          assertThatThrownBy(() -> t.fit(List.of(outside)))
              .hasMessageContaining("token id " + vocab);
          long[] ids = new long[p.model().config().maxPositions() + 1];
          int[] roles = new int[ids.length];
          Arrays.fill(roles, 1);
          assertThatThrownBy(() -> t.fit(List.of(new Demonstration(ids, roles))))
              .hasMessageContaining("max_position_embeddings");
        });
    withPolicy(
        Method.NONE,
        p ->
            assertThatThrownBy(() -> trainer(p, config().build()))
                .hasMessageContaining("nothing to train"));
  }

  @Test
  void badConfigValuesAreRejectedNamingTheField() {
    assertThatThrownBy(() -> SftConfig.builder().learningRate(0).build())
        .hasMessageContaining("learningRate");
    assertThatThrownBy(() -> SftConfig.builder().learningRate(Double.NaN).build())
        .hasMessageContaining("learningRate");
    assertThatThrownBy(() -> SftConfig.builder().epochs(0).build()).hasMessageContaining("epochs");
    assertThatThrownBy(() -> SftConfig.builder().batchSize(0).build())
        .hasMessageContaining("batchSize");
    assertThatThrownBy(() -> SftConfig.builder().microBatchSize(0).build())
        .hasMessageContaining("microBatchSize");
    assertThatThrownBy(() -> SftConfig.builder().warmupRatio(1.5).build())
        .hasMessageContaining("warmupRatio");
    assertThatThrownBy(() -> SftConfig.builder().maxGradNorm(-1).build())
        .hasMessageContaining("maxGradNorm");
    assertThatThrownBy(() -> SftConfig.builder().logEvery(0).build())
        .hasMessageContaining("logEvery");
    assertThatThrownBy(() -> SftConfig.builder().optimizer(null).build())
        .hasMessageContaining("optimizer");
    SftConfig ok = SftConfig.builder().batchSize(10).epochs(3).build();
    assertThat(ok.totalSteps(25)).isEqualTo(9);
    assertThat(ok.toBuilder().build()).isEqualTo(ok);
  }

  static int trainedTokens(List<Demonstration> ds) {
    return ds.stream().mapToInt(Demonstration::trainedTokens).sum();
  }
}

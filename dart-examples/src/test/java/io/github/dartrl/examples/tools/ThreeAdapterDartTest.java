package io.github.dartrl.examples.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.IsolatedBackward;
import io.github.dartrl.core.policy.Isolation;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.routing.ToolSpan;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.Lane;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.rollout.RolloutEngine;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.grpo.tool.Tool;
import io.github.dartrl.grpo.tool.ToolEnvironment;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A third capability added from outside dart-grpo through the public tool SPI only: a lookup tool
 * beside search, and a DART policy with three adapters (reasoning, search, lookup) trained for a
 * few GRPO steps with STRICT isolation. Checked: the router gives each tool's span its own role
 * code, each adapter gets gradient from its own role's tokens and exactly none from the others',
 * every adapter moved in training, sampling log-probs equal training log-probs, and the saved
 * adapters (dart.json with tools, spans and map; each adapter a plain PEFT directory) reload to the
 * same log-probs.
 */
class ThreeAdapterDartTest {
  // the tiny word-level model writes only its own words: ordinary words stand in for the tags, so
  // that a random model opens and closes spans often enough to exercise every role
  static final ToolSpan SEARCH = new ToolSpan("find", "done");
  static final ToolSpan LOOKUP = new ToolSpan("look", "up");
  static final List<String> WORDS =
      List.of(
          "find",
          "done",
          "look",
          "up",
          "who",
          "is",
          "the",
          "capital",
          "of",
          "paris",
          "france",
          "city",
          "question",
          ":");
  static final PromptTemplate TEMPLATE = new PromptTemplate("question : {question}", true);
  static final int SEARCH_CODE = TokenRole.toolCode(0);
  static final int LOOKUP_CODE = TokenRole.toolCode(1);

  @TempDir Path dir;

  /** The user's tool: looks each call's words up in a fixed table. */
  static final class Lookup implements Tool {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public String name() {
      return "lookup";
    }

    @Override
    public ToolSpan span() {
      return LOOKUP;
    }

    @Override
    public List<String> execute(List<String> calls) {
      this.calls.addAndGet(calls.size());
      return calls.stream().map(c -> c.contains("france") ? " paris " : " city ").toList();
    }
  }

  /** Every query finds the same passage. */
  static final class OnePassage implements Retriever {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public List<List<Passage>> search(List<String> queries, int topK) {
      calls.addAndGet(queries.size());
      return queries.stream()
          .map(q -> List.of(new Passage("1", "paris", "the capital is paris", 1)))
          .toList();
    }

    @Override
    public void close() {}
  }

  /** Share of response words that are "paris". */
  static final RewardFunction PARIS =
      in -> {
        String[] w = in.response().trim().split("\\s+");
        long hits = Arrays.stream(w).filter("paris"::equals).count();
        return new RewardResult(
            w.length == 0 ? 0 : hits / (double) w.length, false, null, Map.of());
      };

  static RolloutConfig rollout() {
    return new RolloutConfig(
        2, 12, 16, 1, 1.0, 1.0, SEARCH, new ToolSpan("<answer>", "</answer>"), " the question ");
  }

  @Test
  void threeAdapterDartTrainsEachAdapterOnItsOwnTokensAndReloads() throws Exception {
    Path modelDir = dir.resolve("model");
    TinyModels.create(modelDir, WORDS, new TinyModels.Size(32, 2, 4, 2, 64, 1024), 4);
    Lookup lookup = new Lookup();
    OnePassage retriever = new OnePassage();
    List<String> questions = List.of("who is the city", "the capital of france", "city of paris");
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = HfCheckpoint.load(modelDir, root);
        TextTokenizer tok = TextTokenizer.load(modelDir)) {
      PolicyConfig config =
          PolicyConfig.of(Method.DART, 4)
              .withSpans(List.of(SEARCH, LOOKUP))
              .withIsolation(Isolation.STRICT);
      try (Policy policy = Policy.create(model, config, tok)) {
        assertThat(policy.adapters().configs())
            .extracting(LoraConfig::name)
            .containsExactly("reasoning", "find", "look");
        GrpoConfig grpo =
            GrpoConfig.builder()
                .totalSteps(3)
                .promptsPerStep(3)
                .groupSize(4)
                .learningRate(2e-2)
                .warmupRatio(0)
                .microBatchSize(12)
                .checkpointEvery(3)
                .rollout(rollout())
                .seed(7)
                .build();
        List<QaExample> train = new ArrayList<>();
        for (int i = 0; i < questions.size(); i++) {
          train.add(QaExample.of("q" + i, questions.get(i), List.of("paris")));
        }
        try (Trainer t =
            Trainer.builder()
                .policy(policy)
                .tokenizer(tok)
                .retriever(retriever)
                .extraTools(List.of(lookup))
                .promptTemplate(TEMPLATE)
                .reward(PARIS)
                .trainData(QaDataset.of(train))
                .config(grpo)
                .runDir(dir.resolve("run"))
                .build()) {
          t.fit();
        }
        assertThat(retriever.calls.get()).as("search ran in training").isPositive();
        assertThat(lookup.calls.get()).as("the lookup tool ran in training").isPositive();
        for (int k = 0; k < 3; k++) {
          assertThat(maxAbsB(policy, k, model))
              .as("adapter %d moved (B starts at 0)", k)
              .isGreaterThan(0);
        }

        ToolEnvironment env = rollout().searchEnvironment(retriever, tok, List.of(lookup));
        RolloutEngine engine =
            new RolloutEngine(
                List.of(Lane.of("policy", policy)), policy.router(), env, tok, TEMPLATE, rollout());
        List<Trajectory> ts = engine.rollout(questions, 6, 11);
        SequenceBatch batch =
            new SequenceBatch(
                ts.stream().map(Trajectory::tokens).toList(),
                ts.stream().map(Trajectory::roles).toList(),
                tok.padTokenId().orElse(0));
        for (int code : new int[] {TokenRole.REASONING.code(), SEARCH_CODE, LOOKUP_CODE}) {
          assertThat(count(batch, code)).as("tokens of role code %d", code).isPositive();
        }
        checkSpanCodes(ts, tok);

        float[] trained = logProbs(policy, batch, model);
        for (int r = 0; r < ts.size(); r++) {
          Trajectory tr = ts.get(r);
          for (int p = 1; p < tr.tokens().length; p++) {
            if (!Float.isNaN(tr.logProbs()[p])) {
              assertThat(trained[r * batch.length() + batch.padding(r) + p - 1])
                  .as("row %d token %d", r, p)
                  .isCloseTo(tr.logProbs()[p], within(1e-4f));
            }
          }
        }

        checkGradientIsolation(policy, batch, model);

        Path saved = dir.resolve("adapters");
        PolicyCheckpoint.save(policy, saved);
        JsonNode dart = new ObjectMapper().readTree(saved.resolve("dart.json").toFile());
        assertThat(dart.get("version").asInt()).isEqualTo(PolicyCheckpoint.VERSION);
        assertThat(dart.get("spans")).hasSize(2);
        assertThat(dart.get("tools").get(1).get("open").asText()).isEqualTo("look");
        assertThat(dart.get("tools").get(1).get("role_code").asInt()).isEqualTo(LOOKUP_CODE);
        assertThat(dart.get("tools").get(1).get("adapter").asInt()).isEqualTo(2);
        assertThat(dart.get("role_map").get("REASONING").asInt()).isZero();
        assertThat(dart.get("isolation").asText()).isEqualTo("STRICT");
        for (String name : List.of("reasoning", "find", "look")) {
          assertThat(PolicyCheckpoint.isPlainPeft(saved.resolve(name)))
              .as("%s is a plain PEFT directory", name)
              .isTrue();
        }
        try (NDManager other = NDManager.newBaseManager("PyTorch");
            DecoderModel fresh = HfCheckpoint.load(modelDir, other);
            Policy reloaded = PolicyCheckpoint.load(fresh, saved, tok)) {
          assertThat(reloaded.adapters().configs()).hasSize(3);
          assertThat(reloaded.roleMap()).isEqualTo(policy.roleMap());
          assertThat(logProbs(reloaded, batch, fresh)).containsExactly(trained);
        }
        // the lookup adapter's directory alone loads as a PEFT LoRA with the same weights
        try (NDManager other = NDManager.newBaseManager("PyTorch");
            DecoderModel fresh = HfCheckpoint.load(modelDir, other);
            Policy peft =
                PolicyCheckpoint.loadPeft(
                    fresh, saved.resolve("look"), PolicyConfig.of(Method.LORA, 4), tok);
            NDManager s1 = model.newScope();
            NDManager s2 = fresh.newScope()) {
          Map<String, NDArray[]> want = policy.adapters().weightsOf(2, s1);
          Map<String, NDArray[]> got = peft.adapters().weightsOf(0, s2);
          assertThat(got.keySet()).isEqualTo(want.keySet());
          for (String k : want.keySet()) {
            assertThat(got.get(k)[0].toFloatArray()).containsExactly(want.get(k)[0].toFloatArray());
            assertThat(got.get(k)[1].toFloatArray()).containsExactly(want.get(k)[1].toFloatArray());
          }
        }
      }
    }
  }

  /**
   * For each role: with one backward per adapter from that adapter's share of the role's loss
   * (STRICT isolation, as the GRPO update runs it), the role's own adapter gets a nonzero gradient
   * and the other two exactly zero. A single SHARED backward, for contrast, leaks into the others
   * through attention: the zero is the isolation's doing, not an empty mask's.
   */
  private static void checkGradientIsolation(Policy policy, SequenceBatch batch, DecoderModel m) {
    int[] adapterAt = batch.adapterAt(policy.roleMap());
    int[] codes = {TokenRole.REASONING.code(), SEARCH_CODE, LOOKUP_CODE};
    int[] owners = {0, 1, 2};
    double leaks = 0;
    for (int c = 0; c < codes.length; c++) {
      int code = codes[c];
      assertThat(policy.roleMap().adapterForCode(code)).isEqualTo(owners[c]);
      try (NDManager s = m.newScope();
          Gradients strict = new Gradients(policy.trainableParameters(), s);
          Gradients shared = new Gradients(policy.trainableParameters(), s)) {
        IsolatedBackward.run(
            policy, strict, a -> loss(policy, s, batch, mask(batch, code, adapterAt, a)));
        shared.backward(() -> loss(policy, s, batch, mask(batch, code, adapterAt, -2)));
        for (int a = 0; a < 3; a++) {
          double n = adapterNorm(strict, policy, a, s);
          if (a == owners[c]) {
            assertThat(n).as("role %d -> its adapter %d", code, a).isGreaterThan(0);
          } else {
            assertThat(n).as("role %d -> adapter %d", code, a).isEqualTo(0.0);
            leaks += adapterNorm(shared, policy, a, s);
          }
        }
        assertThat(adapterNorm(shared, policy, owners[c], s)).isGreaterThan(0);
      }
    }
    // what the isolation removes: in one SHARED backward attention carries a role's loss into the
    // other roles' adapters, so the zeros above are STRICT's doing, not an empty mask's
    assertThat(leaks).as("SHARED cross-role gradient").isGreaterThan(0);
  }

  /** 1 where the predicted token has role code {@code code} (and adapter {@code a}, unless -2). */
  private static float[] mask(SequenceBatch batch, int code, int[] adapterAt, int a) {
    float[] m = new float[batch.batch() * batch.length()];
    for (int r = 0; r < batch.batch(); r++) {
      for (int j = 0; j < batch.length(); j++) {
        int i = r * batch.length() + j;
        boolean role = batch.targetRole(r, j) == code;
        m[i] = role && (a == -2 || adapterAt[i] == a) ? 1f : 0f;
      }
    }
    return m;
  }

  private static NDArray loss(Policy p, NDManager s, SequenceBatch batch, float[] mask) {
    NDArray lp = p.logProbs(s, batch, 1f);
    NDArray m = s.create(mask, new Shape(batch.batch(), batch.length()));
    return lp.mul(m).sum().neg();
  }

  private static double adapterNorm(Gradients g, Policy p, int adapter, NDManager s) {
    double sq = 0;
    for (Map.Entry<String, NDArray> e : p.adapters().gradientMasks(adapter, s).entrySet()) {
      sq += g.get(e.getKey()).mul(e.getValue()).square().sum().getFloat();
    }
    return Math.sqrt(sq);
  }

  private static double maxAbsB(Policy p, int adapter, DecoderModel m) {
    double max = 0;
    try (NDManager s = m.newScope()) {
      for (NDArray[] ab : p.adapters().weightsOf(adapter, s).values()) {
        max = Math.max(max, ab[1].abs().max().getFloat());
      }
    }
    return max;
  }

  private static float[] logProbs(Policy p, SequenceBatch batch, DecoderModel m) {
    try (GradMode off = GradMode.disabled();
        NDManager s = m.newScope()) {
      return p.logProbs(s, batch, 1f).toFloatArray();
    }
  }

  private static int count(SequenceBatch batch, int code) {
    int n = 0;
    for (int r = 0; r < batch.batch(); r++) {
      for (int j = 0; j < batch.length(); j++) {
        n += batch.targetRole(r, j) == code ? 1 : 0;
      }
    }
    return n;
  }

  /** After "find" up to "done" the search code, after "look" up to "up" the lookup code. */
  private static void checkSpanCodes(List<Trajectory> ts, TextTokenizer tok) {
    long find = tok.encode("find")[0];
    long done = tok.encode("done")[0];
    long look = tok.encode("look")[0];
    long up = tok.encode("up")[0];
    for (Trajectory t : ts) {
      int open = -1;
      for (int p = t.promptLength(); p < t.tokens().length; p++) {
        int role = t.roles()[p];
        if (role == TokenRole.OBSERVATION.code()) {
          open = -1;
          continue;
        }
        int expected =
            open == 0 ? SEARCH_CODE : open == 1 ? LOOKUP_CODE : TokenRole.REASONING.code();
        assertThat(role).as("token %d of %s", p, Arrays.toString(t.tokens())).isEqualTo(expected);
        long id = t.tokens()[p];
        if (open < 0 && id == find) {
          open = 0;
        } else if (open < 0 && id == look) {
          open = 1;
        } else if ((open == 0 && id == done) || (open == 1 && id == up)) {
          open = -1;
        }
      }
    }
  }
}

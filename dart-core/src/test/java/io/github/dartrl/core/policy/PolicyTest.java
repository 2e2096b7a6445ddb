package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.Generation;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.lora.LoraAdapters;
import io.github.dartrl.core.lora.LoraLinear;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.TestModels;
import io.github.dartrl.core.model.TokenBatch;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.Detokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PolicyTest {
  /** Toy vocabulary whose search tags are split into two pieces each. */
  static final String[] PIECES = {
    "<sea", "rch>", "</sea", " who", " is", " x", " y", ".", " the", " a", " b"
  };

  static final Detokenizer DETOK =
      ids -> Arrays.stream(ids).mapToObj(i -> PIECES[(int) i]).collect(Collectors.joining());

  static NDManager root;
  static DecoderModel model;
  Policy policy;

  @BeforeAll
  static void setUp() {
    root = NDManager.newBaseManager("PyTorch");
    model = TestModels.sharp(root, PIECES.length, 3);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    root.close();
  }

  @AfterEach
  void closePolicy() {
    if (policy != null) {
      policy.close();
      policy = null;
    }
    model.setBackboneTrainable(false);
  }

  static void randomizeB(LoraAdapters adapters, long seed) {
    Random rng = new Random(seed);
    try (GradMode off = GradMode.disabled()) {
      for (LoraLinear l : adapters.layers()) {
        NDArray b = l.stackedB();
        float[] v = new float[(int) b.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) (rng.nextGaussian() * 0.5);
        }
        b.set(new ai.djl.ndarray.index.NDIndex(":"), b.getManager().create(v, b.getShape()));
      }
    }
  }

  static float[] backboneLogits(long[] ids) {
    try (NDManager s = model.newScope()) {
      return model.logits(model.hidden(s, TokenBatch.of(ids), null, null)).toFloatArray();
    }
  }

  static final long[] SEQ = {3, 0, 1, 4, 5, 2, 1, 8, 9, 0, 1, 6, 2, 1, 7};

  static int[] rolesOf(long[] seq, int promptLength, Policy p) {
    int[] roles = new int[seq.length];
    TokenRole[] sampled = p.router().roles(Arrays.copyOfRange(seq, promptLength, seq.length));
    for (int i = 0; i < seq.length; i++) {
      roles[i] = i < promptLength ? TokenRole.PROMPT.code() : sampled[i - promptLength].code();
    }
    return roles;
  }

  @Test
  void withZeroBEveryMethodIsExactlyTheBackbone() {
    float[] backbone = backboneLogits(SEQ);
    for (Method m : Method.values()) {
      if (m == Method.FULL || m == Method.NONE) {
        continue;
      }
      PolicyConfig cfg = PolicyConfig.of(m, 4);
      try (Policy p = Policy.create(model, cfg, DETOK);
          NDManager s = model.newScope()) {
        SequenceBatch batch = new SequenceBatch(List.of(SEQ), List.of(rolesOf(SEQ, 1, p)), 0);
        int[] at = batch.adapterAt(p.roleMap());
        assertThat(at).as("%s routes some position to an adapter", m).isNotNull();
        float[] logits = model.logits(model.hidden(s, batch.tokens(), null, at)).toFloatArray();
        assertThat(logits).as(m.name()).containsExactly(backbone);
      }
    }
  }

  @Test
  void routedSamplingLogProbsEqualTrainingForwardAcrossSeveralSpans() {
    policy = Policy.create(model, PolicyConfig.dart(), DETOK);
    randomizeB(policy.adapters(), 1);
    List<long[]> prompts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      prompts.add(new long[] {3, 4 + i % 3});
    }
    // a seed under which a row opens two spans of its own (seed 17's second "span" was a span
    // left open by turn 1 and carried across the observation, which the router now closes)
    SamplingParams params = SamplingParams.sample(1.4, 80, 21);
    int multiSpan = 0;
    try (DecodeSession session = new DecodeSession(model, prompts, 200, policy.schedule(6))) {
      List<Generation> turn1 = session.generate(params.withMaxNewTokens(40), all(6), DETOK);
      // an observation for every row, then a second turn
      List<long[]> obs = new ArrayList<>();
      for (int r = 0; r < 6; r++) {
        obs.add(new long[] {7, 8, 9, 7});
      }
      session.append(obs, TokenRole.OBSERVATION);
      List<Generation> turn2 = session.generate(params.withMaxNewTokens(40), all(6), DETOK);
      List<long[]> seqs = new ArrayList<>();
      List<int[]> roles = new ArrayList<>();
      List<float[]> recorded = new ArrayList<>();
      for (int r = 0; r < 6; r++) {
        long[] seq = session.tokens(r);
        int[] role = new int[seq.length];
        int k = 0;
        for (int i = 0; i < 2; i++) {
          role[k++] = TokenRole.PROMPT.code();
        }
        for (TokenRole x : turn1.get(r).roles()) {
          role[k++] = x.code();
        }
        for (int i = 0; i < 4; i++) {
          role[k++] = TokenRole.OBSERVATION.code();
        }
        for (TokenRole x : turn2.get(r).roles()) {
          role[k++] = x.code();
        }
        assertThat(k).isEqualTo(seq.length);
        long spans =
            Arrays.stream(role).filter(x -> x == TokenRole.TOOL.code()).count() > 0
                ? countSpans(role)
                : 0;
        if (spans >= 2) {
          multiSpan++;
        }
        seqs.add(seq);
        roles.add(role);
        float[] lp = new float[turn1.get(r).logProbs().length + turn2.get(r).logProbs().length];
        System.arraycopy(turn1.get(r).logProbs(), 0, lp, 0, turn1.get(r).logProbs().length);
        System.arraycopy(
            turn2.get(r).logProbs(),
            0,
            lp,
            turn1.get(r).logProbs().length,
            turn2.get(r).logProbs().length);
        recorded.add(lp);
      }
      assertThat(multiSpan).as("rows with at least two search spans").isGreaterThan(0);
      SequenceBatch batch = new SequenceBatch(seqs, roles, 0);
      try (NDManager s = model.newScope()) {
        float[] lp = policy.logProbs(s, batch, 1.4f).toFloatArray();
        for (int r = 0; r < 6; r++) {
          int k = 0;
          int pad = batch.padding(r);
          for (int j = 0; j + 1 < batch.length(r); j++) {
            int role = roles.get(r)[j + 1];
            if (role == TokenRole.REASONING.code() || role == TokenRole.TOOL.code()) {
              assertThat(lp[r * batch.length() + pad + j])
                  .as("row %d token %d", r, j + 1)
                  .isCloseTo(recorded.get(r)[k++], within(1e-4f));
            }
          }
          assertThat(k).isEqualTo(recorded.get(r).length);
        }
      }
    }
  }

  static boolean[] all(int n) {
    boolean[] a = new boolean[n];
    Arrays.fill(a, true);
    return a;
  }

  static long countSpans(int[] roles) {
    long n = 0;
    for (int i = 1; i < roles.length; i++) {
      if (roles[i] == TokenRole.TOOL.code() && roles[i - 1] != TokenRole.TOOL.code()) {
        n++;
      }
    }
    return n;
  }

  /** Mean negative log-prob of the tokens whose role is in {@code roles}. */
  static NDArray loss(Policy p, NDManager s, SequenceBatch batch, Set<TokenRole> roles) {
    NDArray lp = p.logProbs(s, batch, 1f);
    NDArray mask = s.create(batch.lossMask(roles), new Shape(batch.batch(), batch.length()));
    return io.github.dartrl.core.model.Scalars.div(
        lp.mul(mask).sum().neg(), Math.max(1f, mask.sum().getFloat()));
  }

  @Test
  void dartBackwardLeavesTheBackboneWithoutGradients() {
    policy = Policy.create(model, PolicyConfig.dart(), DETOK);
    randomizeB(policy.adapters(), 2);
    SequenceBatch batch = new SequenceBatch(List.of(SEQ), List.of(rolesOf(SEQ, 1, policy)), 0);
    try (NDManager s = model.newScope();
        Gradients g = new Gradients(policy.trainableParameters(), s)) {
      g.backward(() -> loss(policy, s, batch, EnumSet.of(TokenRole.REASONING, TokenRole.TOOL)));
      assertThat(g.globalNorm()).isGreaterThan(0);
      policy.checkFrozenBackbone();
      for (NDArray w : model.parameters().values()) {
        assertThat(w.hasGradient()).isFalse();
      }
    }
  }

  @Test
  void strictIsolationKeepsToolAdapterGradientExactlyZeroForReasoningLoss() {
    policy = Policy.create(model, PolicyConfig.dart(), DETOK);
    randomizeB(policy.adapters(), 3);
    // tool span early, reasoning tokens after it: their loss reaches θa through attention
    SequenceBatch batch = new SequenceBatch(List.of(SEQ), List.of(rolesOf(SEQ, 1, policy)), 0);
    Set<TokenRole> reasoningOnly = EnumSet.of(TokenRole.REASONING);
    Map<String, NDArray> params = policy.trainableParameters();
    try (NDManager s = model.newScope();
        Gradients shared = new Gradients(params, s);
        Gradients strict = new Gradients(params, s)) {
      shared.backward(() -> loss(policy, s, batch, reasoningOnly));
      assertThat(adapterNorm(shared, policy, Method.TOOL_ADAPTER, s))
          .as("SHARED: reasoning loss leaks into θa through attention")
          .isGreaterThan(0);
      IsolatedBackward.run(
          policy,
          strict,
          adapter -> loss(policy, s, batch, rolesServedBy(policy, adapter, reasoningOnly)));
      assertThat(adapterNorm(strict, policy, Method.TOOL_ADAPTER, s)).isEqualTo(0.0);
      assertThat(adapterNorm(strict, policy, Method.REASONING_ADAPTER, s)).isGreaterThan(0);
    }
  }

  static Set<TokenRole> rolesServedBy(Policy p, int adapter, Set<TokenRole> within) {
    Set<TokenRole> out = EnumSet.noneOf(TokenRole.class);
    for (TokenRole r : within) {
      if (p.roleMap().adapterFor(r) == adapter) {
        out.add(r);
      }
    }
    return out;
  }

  /** L2 norm of one adapter's slice of the stacked gradients. */
  static double adapterNorm(Gradients g, Policy p, int adapter, NDManager s) {
    Map<String, NDArray> masks = p.adapters().gradientMasks(adapter, s);
    double sq = 0;
    for (Map.Entry<String, NDArray> e : masks.entrySet()) {
      sq += g.get(e.getKey()).mul(e.getValue()).square().sum().getFloat();
    }
    return Math.sqrt(sq);
  }
}

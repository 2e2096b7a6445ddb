package io.github.dartrl.core.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.TestModels;
import io.github.dartrl.core.model.TokenBatch;
import io.github.dartrl.core.routing.AdapterSchedule;
import io.github.dartrl.core.text.Detokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GenerationTest {
  static NDManager root;
  static DecoderModel model;
  static final int V = 61;

  /** Token k decodes to "x" + k + "y": stop strings can then span token boundaries. */
  static final Detokenizer DETOK =
      ids -> Arrays.stream(ids).mapToObj(k -> "x" + k + "y").collect(Collectors.joining());

  static final long[] PROMPT = {3, 14, 15, 9, 26};

  @BeforeAll
  static void setUp() {
    root = NDManager.newBaseManager("PyTorch");
    model = TestModels.sharp(root, V, 11);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    root.close();
  }

  /** Log-probs of {@code seq[from..]} given the prefix, from one full training-style forward. */
  static float[] trainingLogProbs(long[] seq, int from, float temperature) {
    try (NDManager s = model.newScope()) {
      NDArray h = model.hidden(s, TokenBatch.of(Arrays.copyOf(seq, seq.length - 1)), null, null);
      NDArray targets =
          s.create(Arrays.copyOfRange(seq, 1, seq.length), new Shape(1, seq.length - 1));
      float[] all = model.logProbs(h, targets, temperature).toFloatArray();
      return Arrays.copyOfRange(all, from - 1, all.length);
    }
  }

  static long[] concat(long[]... parts) {
    return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
  }

  @Test
  void greedyFollowsArgmaxOfFullForward() {
    Generation g =
        Generator.generate(model, List.of(PROMPT), SamplingParams.greedy(12), DETOK).get(0);
    assertThat(g.tokens()).hasSize(12);
    assertThat(g.finishReason()).isEqualTo(FinishReason.LENGTH);
    long[] seq = concat(PROMPT, g.tokens());
    try (NDManager s = model.newScope()) {
      float[] logits = model.logits(model.hidden(s, TokenBatch.of(seq), null, null)).toFloatArray();
      for (int i = 0; i < g.tokens().length; i++) {
        int pos = PROMPT.length - 1 + i;
        int best = 0;
        for (int j = 1; j < V; j++) {
          if (logits[pos * V + j] > logits[pos * V + best]) {
            best = j;
          }
        }
        assertThat(g.tokens()[i]).as("token %d", i).isEqualTo(best);
      }
    }
  }

  @Test
  void sampledLogProbsEqualTrainingForwardLogProbs() {
    SamplingParams p = SamplingParams.sample(0.8, 20, 42);
    Generation g = Generator.generate(model, List.of(PROMPT), p, DETOK).get(0);
    float[] expected = trainingLogProbs(concat(PROMPT, g.tokens()), PROMPT.length, 0.8f);
    assertThat(g.logProbs()).containsExactly(expected, within(1e-4f));
  }

  @Test
  void seededSamplingIsReproducibleAndSeedMatters() {
    SamplingParams p = SamplingParams.sample(1.0, 16, 7).withTopKTopP(20, 0.9);
    List<long[]> prompts = List.of(PROMPT, new long[] {1, 2});
    List<Generation> a = Generator.generate(model, prompts, p, DETOK);
    List<Generation> b = Generator.generate(model, prompts, p, DETOK);
    List<Generation> c = Generator.generate(model, prompts, p.withSeed(8), DETOK);
    for (int r = 0; r < 2; r++) {
      assertThat(a.get(r).tokens()).containsExactly(b.get(r).tokens());
      assertThat(a.get(r).logProbs()).containsExactly(b.get(r).logProbs());
    }
    assertThat(
            Arrays.equals(a.get(0).tokens(), c.get(0).tokens())
                && Arrays.equals(a.get(1).tokens(), c.get(1).tokens()))
        .isFalse();
  }

  @Test
  void topKRestrictsToTheKMostLikely() {
    SamplingParams p = SamplingParams.sample(5.0, 30, 3).withTopKTopP(1, 1.0);
    Generation sampled = Generator.generate(model, List.of(PROMPT), p, DETOK).get(0);
    Generation greedy =
        Generator.generate(model, List.of(PROMPT), SamplingParams.greedy(30), DETOK).get(0);
    assertThat(sampled.tokens()).containsExactly(greedy.tokens());
  }

  @Test
  void stopStringSpanningTwoTokensStopsGeneration() {
    Generation free =
        Generator.generate(model, List.of(PROMPT), SamplingParams.greedy(10), DETOK).get(0);
    long[] t = free.tokens();
    // "<id3>yx<id4>" spans the boundary between tokens 3 and 4
    String stop = t[3] + "yx" + t[4];
    String text = DETOK.decode(t);
    int firstEnd = text.indexOf(stop) + stop.length();
    int expectedTokens = 0;
    while (DETOK.decode(Arrays.copyOf(t, expectedTokens)).length() < firstEnd) {
      expectedTokens++;
    }
    SamplingParams p = SamplingParams.greedy(10).withStopStrings(List.of(stop));
    Generation g = Generator.generate(model, List.of(PROMPT), p, DETOK).get(0);
    assertThat(g.finishReason()).isEqualTo(FinishReason.STOP);
    assertThat(g.stopString()).isEqualTo(stop);
    assertThat(g.tokens()).hasSize(expectedTokens).isEqualTo(Arrays.copyOf(t, expectedTokens));
    // the stop string ends inside the last token, which is kept whole
    assertThat(g.text()).contains(stop);
    assertThat(DETOK.decode(Arrays.copyOf(t, expectedTokens - 1))).doesNotContain(stop);
  }

  @Test
  void eosStopsAndIsKept() {
    Generation free =
        Generator.generate(model, List.of(PROMPT), SamplingParams.greedy(10), DETOK).get(0);
    long eos = free.tokens()[2];
    int first = 0;
    while (free.tokens()[first] != eos) {
      first++;
    }
    SamplingParams p = SamplingParams.greedy(10).withEos(Set.of(eos));
    Generation g = Generator.generate(model, List.of(PROMPT), p, DETOK).get(0);
    assertThat(g.finishReason()).isEqualTo(FinishReason.EOS);
    assertThat(g.tokens()).hasSize(first + 1);
    assertThat(g.tokens()[first]).isEqualTo(eos);
  }

  @Test
  void batchedGenerationEqualsEachPromptAlone() {
    List<long[]> prompts = List.of(PROMPT, new long[] {40}, new long[] {7, 7, 8});
    SamplingParams p = SamplingParams.sample(1.0, 9, 5);
    List<Generation> batched = Generator.generate(model, prompts, p, DETOK);
    for (int r = 0; r < prompts.size(); r++) {
      Generation alone =
          Generator.generate(model, List.of(prompts.get(r)), SamplingParams.greedy(9), DETOK)
              .get(0);
      Generation greedyBatched =
          Generator.generate(model, prompts, SamplingParams.greedy(9), DETOK).get(r);
      assertThat(greedyBatched.tokens()).containsExactly(alone.tokens());
      float[] expected =
          trainingLogProbs(
              concat(prompts.get(r), batched.get(r).tokens()), prompts.get(r).length, 1f);
      assertThat(batched.get(r).logProbs()).containsExactly(expected, within(1e-4f));
    }
  }

  @Test
  void multiTurnAppendKeepsLogProbsEqualToFullForward() {
    List<long[]> prompts = List.of(PROMPT, new long[] {2, 4});
    SamplingParams p = SamplingParams.sample(1.0, 6, 9).withEos(Set.of(5L, 6L));
    try (DecodeSession session = new DecodeSession(model, prompts, 64, AdapterSchedule.NONE)) {
      List<Generation> first = session.generate(p, new boolean[] {true, true}, DETOK);
      // observations of different lengths; row 1 gets none this turn
      session.append(
          List.of(new long[] {50, 51, 52}, new long[0]),
          io.github.dartrl.core.routing.TokenRole.OBSERVATION);
      List<Generation> second = session.generate(p, new boolean[] {true, true}, DETOK);
      for (int r = 0; r < 2; r++) {
        long[] obs = r == 0 ? new long[] {50, 51, 52} : new long[0];
        long[] seq = concat(prompts.get(r), first.get(r).tokens(), obs, second.get(r).tokens());
        assertThat(session.tokens(r)).containsExactly(seq);
        float[] all = trainingLogProbs(seq, prompts.get(r).length, 1f);
        List<Float> expected = new ArrayList<>();
        int n1 = first.get(r).tokens().length;
        for (int i = 0; i < n1; i++) {
          expected.add(all[i]);
        }
        for (int i = 0; i < second.get(r).tokens().length; i++) {
          expected.add(all[n1 + obs.length + i]);
        }
        float[] got = concat2(first.get(r).logProbs(), second.get(r).logProbs());
        for (int i = 0; i < got.length; i++) {
          assertThat(got[i]).as("row %d token %d", r, i).isCloseTo(expected.get(i), within(1e-4f));
        }
      }
    }
  }

  static float[] concat2(float[] a, float[] b) {
    float[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}

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
import io.github.dartrl.core.routing.TokenRole;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A catch-up (a hand-off lane reading tokens another lane produced) carries no training role: the
 * schedule is not told (it is not the environment speaking, so no tool span closes), its positions
 * get a PROMPT position's adapter, and the cache then holds the tokens as if they were prompt.
 */
class CatchUpTest {
  static NDManager root;
  static DecoderModel model;

  @BeforeAll
  static void setUp() {
    root = NDManager.newBaseManager("PyTorch");
    model = TestModels.sharp(root, GenerationTest.V, 11);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    root.close();
  }

  /** Records what the session tells it. */
  static final class Recording implements AdapterSchedule {
    final List<TokenRole> beforeGiven = new ArrayList<>();
    final List<TokenRole> given = new ArrayList<>();

    @Override
    public int beforeGiven(int row, TokenRole role) {
      beforeGiven.add(role);
      return -1;
    }

    @Override
    public int beforeSampled(int row) {
      return -1;
    }

    @Override
    public TokenRole nextSampledRole(int row) {
      return TokenRole.REASONING;
    }

    @Override
    public void sampled(int row, long token) {}

    @Override
    public void given(int row, long[] tokens, TokenRole role) {
      given.add(role);
    }
  }

  @Test
  void aCatchUpIsNotTheEnvironmentSpeaking() {
    Recording schedule = new Recording();
    try (DecodeSession s = new DecodeSession(model, List.of(GenerationTest.PROMPT), 64, schedule)) {
      schedule.beforeGiven.clear(); // the prompt's prefill
      schedule.given.clear();
      s.catchUp(List.of(new long[] {7, 8, 9}));
      assertThat(schedule.given).as("the router is not told").isEmpty();
      assertThat(schedule.beforeGiven).containsOnly(TokenRole.PROMPT);
      s.append(List.of(new long[] {4, 5}), TokenRole.OBSERVATION);
      assertThat(schedule.given).containsExactly(TokenRole.OBSERVATION);
    }
  }

  @Test
  void afterACatchUpSamplingContinuesTheWholeContext() {
    long[] other = {7, 8, 9, 10};
    SamplingParams params = SamplingParams.greedy(6);
    Generation g;
    try (DecodeSession s =
        new DecodeSession(model, List.of(GenerationTest.PROMPT), 64, AdapterSchedule.NONE)) {
      s.catchUp(List.of(other));
      g = s.generate(params, new boolean[] {true}, GenerationTest.DETOK).get(0);
    }
    long[] seq = GenerationTest.concat(GenerationTest.PROMPT, other, g.tokens());
    float[] training = trainingLogProbs(seq, GenerationTest.PROMPT.length + other.length);
    assertThat(g.logProbs()).hasSize(training.length);
    for (int i = 0; i < training.length; i++) {
      assertThat(g.logProbs()[i]).as("token %d", i).isCloseTo(training[i], within(1e-4f));
    }
  }

  /** Log-probs of {@code seq[from..]} from one full training-style forward (no cache). */
  static float[] trainingLogProbs(long[] seq, int from) {
    try (NDManager s = model.newScope()) {
      NDArray h =
          model.hidden(s, TokenBatch.of(java.util.Arrays.copyOf(seq, seq.length - 1)), null, null);
      NDArray targets =
          s.create(java.util.Arrays.copyOfRange(seq, 1, seq.length), new Shape(1, seq.length - 1));
      float[] all = model.logProbs(h, targets, 1f).toFloatArray();
      return java.util.Arrays.copyOfRange(all, from - 1, all.length);
    }
  }
}

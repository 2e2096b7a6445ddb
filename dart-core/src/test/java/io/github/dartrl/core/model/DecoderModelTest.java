package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.optim.Gradients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DecoderModelTest {
  static NDManager root;
  static DecoderModel model;

  @BeforeAll
  static void setUp() {
    root = NDManager.newBaseManager("PyTorch");
    model = TestModels.sharp(root, 97, 7);
  }

  @AfterAll
  static void tearDown() {
    model.close();
    root.close();
  }

  static final long[] SEQ = {5, 17, 3, 44, 90, 12, 8, 61, 33, 2};

  private float[] fullLogits(long[] ids) {
    try (NDManager s = model.newScope()) {
      return model.logits(model.hidden(s, TokenBatch.of(ids), null, null)).toFloatArray();
    }
  }

  @Test
  void kvCacheDecodingMatchesFullForward() {
    float[] full = fullLogits(SEQ);
    int v = model.config().vocabSize();
    try (KvCache cache = model.newCache(1, SEQ.length);
        NDManager s = model.newScope()) {
      // prefill 4, then one token at a time
      long[] prefix = java.util.Arrays.copyOf(SEQ, 4);
      float[] first =
          model.logits(model.hidden(s, TokenBatch.of(prefix), cache, null)).toFloatArray();
      for (int i = 0; i < 4 * v; i++) {
        assertThat(first[i]).isCloseTo(full[i], org.assertj.core.data.Offset.offset(1e-4f));
      }
      for (int t = 4; t < SEQ.length; t++) {
        float[] step =
            model.logits(model.hidden(s, TokenBatch.of(SEQ[t]), cache, null)).toFloatArray();
        for (int j = 0; j < v; j++) {
          assertThat(step[j])
              .as("position %d vocab %d", t, j)
              .isCloseTo(full[t * v + j], org.assertj.core.data.Offset.offset(1e-4f));
        }
      }
      assertThat(cache.length()).isEqualTo(SEQ.length);
    }
  }

  @Test
  void leftPaddedBatchMatchesEachSequenceAlone() {
    long[] a = SEQ;
    long[] b = {7, 7, 21, 50};
    int v = model.config().vocabSize();
    float[] aloneA = fullLogits(a);
    float[] aloneB = fullLogits(b);
    TokenBatch batch = TokenBatch.leftPadded(List.of(a, b), 0);
    try (NDManager s = model.newScope()) {
      float[] both = model.logits(model.hidden(s, batch, null, null)).toFloatArray();
      int t = batch.length();
      for (int i = 0; i < a.length * v; i++) {
        assertThat(both[i]).isCloseTo(aloneA[i], org.assertj.core.data.Offset.offset(1e-4f));
      }
      int pad = t - b.length;
      for (int i = 0; i < b.length * v; i++) {
        assertThat(both[(t + pad) * v + i])
            .isCloseTo(aloneB[i], org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  @Test
  void cacheWithGapsMatchesContiguousSequence() {
    // row 0 appends [3 tokens] then [1 token + 2 pads]; row 1 appends [1 token + 2 pads] then 3.
    long[] r0 = {5, 17, 3, 44};
    long[] r1 = {9, 23, 31, 40};
    int v = model.config().vocabSize();
    float[] full0 = fullLogits(r0);
    float[] full1 = fullLogits(r1);
    try (KvCache cache = model.newCache(2, 6);
        NDManager s = model.newScope()) {
      TokenBatch first =
          new TokenBatch(
              2,
              3,
              new long[] {5, 17, 3, 9, 0, 0},
              new boolean[] {true, true, true, true, false, false});
      model.hidden(s, first, cache, null);
      TokenBatch second =
          new TokenBatch(
              2,
              3,
              new long[] {44, 0, 0, 23, 31, 40},
              new boolean[] {true, false, false, true, true, true});
      float[] out = model.logits(model.hidden(s, second, cache, null)).toFloatArray();
      for (int j = 0; j < v; j++) {
        assertThat(out[j]).isCloseTo(full0[3 * v + j], org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(out[(3 + 2) * v + j])
            .isCloseTo(full1[3 * v + j], org.assertj.core.data.Offset.offset(1e-4f));
      }
    }
  }

  @Test
  void logProbsAreGatheredLogSoftmax() {
    try (NDManager s = model.newScope()) {
      NDArray h = model.hidden(s, TokenBatch.of(SEQ), null, null);
      NDArray targets = s.create(new long[] {17, 3, 44, 90, 12, 8, 61, 33, 2, 1}, new Shape(1, 10));
      float[] lp = model.logProbs(h, targets, 0.7f).toFloatArray();
      float[] logits = model.logits(h).toFloatArray();
      int v = model.config().vocabSize();
      for (int t = 0; t < 10; t++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
          max = Math.max(max, logits[t * v + j] / 0.7);
        }
        double sum = 0;
        for (int j = 0; j < v; j++) {
          sum += Math.exp(logits[t * v + j] / 0.7 - max);
        }
        long target = targets.toLongArray()[t];
        double expected = logits[t * v + (int) target] / 0.7 - max - Math.log(sum);
        assertThat((double) lp[t]).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-4));
      }
    }
  }

  @Test
  void chunkedLmHeadMatchesOneChunkInValuesAndGradients() {
    try (DecoderModel m = TestModels.sharp(root, 97, 11)) {
      Map<String, NDArray> params = m.parameters();
      params.values().forEach(a -> a.setRequiresGradient(true));
      long[] targets = {17, 3, 44, 90, 12, 8, 61, 33, 2, 1};
      List<float[]> whole = lossAndGradients(m, params, targets, 1000);
      List<float[]> chunked = lossAndGradients(m, params, targets, 3); // chunks 3, 3, 3, 1
      assertThat(chunked).hasSameSizeAs(whole);
      for (int i = 0; i < whole.size(); i++) {
        float[] w = whole.get(i);
        float[] c = chunked.get(i);
        assertThat(c).hasSameSizeAs(w);
        for (int j = 0; j < w.length; j++) {
          assertThat(c[j])
              .as("output %d element %d", i, j)
              .isCloseTo(w[j], org.assertj.core.data.Offset.offset(1e-5f + 1e-5f * Math.abs(w[j])));
        }
      }
    }
  }

  /** Log-probs, entropies and the gradient of {@code sum(lp) + 0.5 sum(entropy)} per parameter. */
  private static List<float[]> lossAndGradients(
      DecoderModel m, Map<String, NDArray> params, long[] targets, long chunk) {
    List<float[]> out = new ArrayList<>();
    try (NDManager s = m.newScope();
        Gradients grads = new Gradients(params, m.manager())) {
      grads.backward(
          () -> {
            NDArray h = m.hidden(s, TokenBatch.of(SEQ), null, null);
            NDArray t = s.create(targets, new Shape(1, targets.length));
            NDList r = m.logProbsAndEntropy(h, t, 0.7f, true, true, chunk);
            out.add(r.get(0).toFloatArray());
            out.add(r.get(1).toFloatArray());
            return r.get(0).sum().add(r.get(1).sum().mul(0.5f));
          });
      for (String name : params.keySet()) {
        out.add(grads.get(name).toFloatArray());
      }
    }
    return out;
  }

  @Test
  void activationsDoNotLeakIntoModelManager() {
    int before = model.manager().getManagedArrays().size();
    for (int i = 0; i < 3; i++) {
      try (NDManager s = model.newScope();
          KvCache cache = model.newCache(1, 12)) {
        model.logits(model.hidden(s, TokenBatch.of(SEQ), cache, null));
        model.logits(model.hidden(s, TokenBatch.of(4), cache, null));
      }
    }
    assertThat(model.manager().getManagedArrays().size()).isEqualTo(before);
  }

  @Test
  void rejectsSequencesBeyondMaxPositionsAndFullCache() {
    try (NDManager s = model.newScope();
        KvCache cache = model.newCache(1, 3)) {
      assertThatThrownBy(() -> model.hidden(s, TokenBatch.of(SEQ), cache, null))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("capacity 3");
      long[] tooLong = new long[129];
      assertThatThrownBy(() -> model.hidden(s, TokenBatch.of(tooLong), null, null))
          .hasMessageContaining("max_position_embeddings");
    }
  }
}

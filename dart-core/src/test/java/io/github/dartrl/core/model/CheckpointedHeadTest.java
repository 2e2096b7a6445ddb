package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.optim.Gradients;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checkpointed LM head recomputes chunks of positions in backward: with several chunks (3, 3,
 * 3, 1) and every weight trainable, its log-probs and entropies equal the plain single-chunk head's
 * within 1e-6 and its gradients within 1e-5 relative.
 */
class CheckpointedHeadTest {
  private static final long[] SEQ = {5, 17, 3, 44, 90, 12, 8, 61, 33, 2};
  private static final long[] TARGETS = {17, 3, 44, 90, 12, 8, 61, 33, 2, 1};

  @Test
  void chunkedRecomputationEqualsThePlainHead() {
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel m = TestModels.sharp(root, 97, 11)) {
      Map<String, NDArray> params = m.parameters();
      m.setBackboneTrainable(true);
      List<float[]> plain = run(m, params, 1000);
      m.setGradientCheckpointing(true);
      List<float[]> checkpointed = run(m, params, 3);
      for (int i = 0; i < 2; i++) { // log-probs, entropies
        float[] w = plain.get(i);
        float[] c = checkpointed.get(i);
        for (int j = 0; j < w.length; j++) {
          assertThat(c[j]).as("output %d [%d]", i, j).isCloseTo(w[j], within(1e-6f, w[j]));
        }
      }
      for (int i = 2; i < plain.size(); i++) {
        float[] w = plain.get(i);
        float[] c = checkpointed.get(i);
        double diff = 0;
        double norm = 0;
        for (int j = 0; j < w.length; j++) {
          diff += (c[j] - w[j]) * (double) (c[j] - w[j]);
          norm += w[j] * (double) w[j];
        }
        assertThat(norm).isGreaterThan(0);
        assertThat(Math.sqrt(diff / norm)).as("gradient %d", i).isLessThanOrEqualTo(1e-5);
      }
    }
  }

  private static org.assertj.core.data.Offset<Float> within(float rel, float v) {
    return org.assertj.core.data.Offset.offset(rel * Math.max(1f, Math.abs(v)));
  }

  /** Log-probs, entropies and the gradient of {@code sum(lp) + sum(entropy) / 2} per tensor. */
  private static List<float[]> run(DecoderModel m, Map<String, NDArray> params, long chunk) {
    List<float[]> out = new ArrayList<>();
    try (NDManager s = m.newScope();
        Gradients grads = new Gradients(params, m.manager())) {
      grads.backward(
          () -> {
            NDArray h = m.hidden(s, TokenBatch.of(SEQ), null, null);
            NDArray t = s.create(TARGETS, new Shape(1, TARGETS.length));
            NDList r = m.logProbsAndEntropy(h, t, 0.7f, true, true, chunk);
            out.add(r.get(0).toFloatArray());
            out.add(r.get(1).toFloatArray());
            return r.get(0).sum().add(Scalars.div(r.get(1).sum(), 2));
          });
      for (String name : params.keySet()) {
        out.add(grads.get(name).toFloatArray());
      }
    }
    return out;
  }
}

package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.github.dartrl.core.lora.LoraLinear;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.TestModels;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.routing.TokenRole;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Autograd gradients of LoRA A and B against central finite differences. */
class LoraGradientTest {

  @Test
  void loraGradientsMatchFiniteDifferences() {
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = TestModels.sharp(root, PolicyTest.PIECES.length, 13);
        Policy policy = Policy.create(model, PolicyConfig.dart(), PolicyTest.DETOK)) {
      PolicyTest.randomizeB(policy.adapters(), 21);
      SequenceBatch batch =
          new SequenceBatch(
              List.of(PolicyTest.SEQ), List.of(PolicyTest.rolesOf(PolicyTest.SEQ, 1, policy)), 0);
      var roles = EnumSet.of(TokenRole.REASONING, TokenRole.TOOL);
      try (NDManager s = model.newScope();
          Gradients g = new Gradients(policy.trainableParameters(), s)) {
        g.backward(() -> PolicyTest.loss(policy, s, batch, roles));
        int checked = 0;
        for (LoraLinear l :
            List.of(policy.adapters().layers().get(0), policy.adapters().layers().get(13))) {
          for (NDArray w : List.of(l.stackedA(), l.stackedB())) {
            float[] grad = g.get(w.getName()).toFloatArray();
            // the three largest-magnitude entries (small ones drown in fp32 rounding)
            Integer[] idx = new Integer[grad.length];
            for (int i = 0; i < idx.length; i++) {
              idx[i] = i;
            }
            java.util.Arrays.sort(
                idx, (a, b) -> Float.compare(Math.abs(grad[b]), Math.abs(grad[a])));
            long cols = w.getShape().get(1);
            for (int k = 0; k < 3; k++) {
              int i = idx[k];
              NDIndex at = new NDIndex(i / cols, i % cols);
              float orig = w.get(at).getFloat();
              float eps = 1e-2f * Math.max(1f, Math.abs(orig));
              double up = lossAt(policy, batch, roles, w, at, orig + eps);
              double down = lossAt(policy, batch, roles, w, at, orig - eps);
              setEntry(w, at, orig);
              double fd = (up - down) / (2 * eps);
              assertThat((double) grad[i])
                  .as("%s[%d]", w.getName(), i)
                  .isCloseTo(fd, org.assertj.core.data.Offset.offset(2e-2 * Math.abs(fd) + 2e-3));
              checked++;
            }
          }
        }
        assertThat(checked).isEqualTo(12);
      }
    }
  }

  private static double lossAt(
      Policy p, SequenceBatch batch, EnumSet<TokenRole> roles, NDArray w, NDIndex at, float v) {
    setEntry(w, at, v);
    try (GradMode off = GradMode.disabled();
        NDManager s = p.model().newScope()) {
      return PolicyTest.loss(p, s, batch, roles).getFloat();
    }
  }

  private static void setEntry(NDArray w, NDIndex at, float v) {
    try (GradMode off = GradMode.disabled()) {
      w.set(at, v);
    }
  }
}

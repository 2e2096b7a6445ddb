package io.github.dartrl.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The optimisation settings and loop pieces SFT and GRPO share. */
class OptimConfigTest {

  static OptimConfig config(double lr, double warmup, boolean cosine, double clip, int micro) {
    return new OptimConfig(lr, warmup, cosine, AdamW.Config.defaults(), clip, micro);
  }

  @Test
  void theScheduleIsTheConfiguredOne() {
    assertThat(config(1e-3, 0.1, true, 1, 4).schedule(100))
        .isEqualTo(LrSchedule.cosine(1e-3, 0.1, 100, 0.1));
    assertThat(config(1e-3, 0.1, false, 1, 4).schedule(100))
        .isEqualTo(LrSchedule.constant(1e-3, 0.1, 100));
  }

  @Test
  void outOfRangeValuesNameTheirField() {
    assertThatThrownBy(() -> config(Double.NaN, 0, false, 1, 4))
        .hasMessage("learningRate must be > 0 and finite, got NaN");
    assertThatThrownBy(() -> config(1e-3, 2, false, 1, 4))
        .hasMessage("warmupRatio must be in [0, 1], got 2.0");
    assertThatThrownBy(() -> config(1e-3, 0, false, -1, 4))
        .hasMessageStartingWith("maxGradNorm must be >= 0 and finite");
    assertThatThrownBy(() -> config(1e-3, 0, false, 1, 0))
        .hasMessage("microBatchSize must be > 0, got 0");
  }

  @Test
  void shuffledIsASeededPermutationAndChunksCoverTheRows() {
    int[] a = BatchOrder.shuffled(10, 7);
    assertThat(a).isEqualTo(BatchOrder.shuffled(10, 7));
    assertThat(a).isNotEqualTo(BatchOrder.shuffled(10, 8));
    assertThat(Arrays.stream(a).sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    List<int[]> c = BatchOrder.chunks(new int[] {5, 4, 3, 2, 1}, 2);
    assertThat(c).hasSize(3);
    assertThat(c.get(0)).containsExactly(5, 4);
    assertThat(c.get(2)).containsExactly(1);
  }

  @Test
  void anUpdateIsSkippedOnANonFiniteLossOrGradientAndAppliedOtherwise() {
    try (NDManager root = NDManager.newBaseManager("PyTorch")) {
      NDArray w = root.create(new float[] {0.5f, -1.5f});
      w.setRequiresGradient(true);
      Map<String, NDArray> params = new LinkedHashMap<>(Map.of("w", w));
      try (Gradients grads = new Gradients(params, root);
          AdamW opt = new AdamW(AdamW.Config.defaults(), params, root)) {
        // a non-finite loss: nothing moves, the gradients are cleared
        grads.backward(() -> w.mul(root.create(new float[] {3f, 4f})).sum());
        OptimizerStep.Outcome lost = OptimizerStep.apply(grads, opt, false, 1.0, 0.1);
        assertThat(lost.applied()).isFalse();
        assertThat(w.toFloatArray()).containsExactly(0.5f, -1.5f);
        assertThat(grads.globalNorm()).isZero();
        // a NaN gradient: skipped, named
        grads.backward(() -> w.mul(root.create(new float[] {Float.NaN, 1f})).sum());
        OptimizerStep.Outcome nan = OptimizerStep.apply(grads, opt, true, 1.0, 0.1);
        assertThat(nan.applied()).isFalse();
        assertThat(nan.nonFinite()).containsExactly("w");
        assertThat(w.toFloatArray()).containsExactly(0.5f, -1.5f);
        assertThat(opt.stepCount()).isZero();
        // a finite one: clipped (norm 5 reported before clipping) and applied
        grads.backward(() -> w.mul(root.create(new float[] {3f, 4f})).sum());
        OptimizerStep.Outcome ok = OptimizerStep.apply(grads, opt, true, 1.0, 0.1);
        assertThat(ok.applied()).isTrue();
        assertThat(ok.gradNorm()).isEqualTo(5.0, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(opt.stepCount()).isEqualTo(1);
        assertThat(w.toFloatArray()[0]).isLessThan(0.5f);
        assertThat(grads.globalNorm()).isZero();
      }
    }
  }
}

package io.github.dartrl.core.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdamWTest {

  /** Reference AdamW in double for one scalar. */
  static double[] reference(double w, double[] grads, double lr, double wd) {
    double m = 0;
    double v = 0;
    double[] out = new double[grads.length];
    for (int t = 1; t <= grads.length; t++) {
      double g = grads[t - 1];
      w *= 1 - lr * wd;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      w -= lr * (m / (1 - Math.pow(0.9, t))) / (Math.sqrt(v / (1 - Math.pow(0.999, t))) + 1e-8);
      out[t - 1] = w;
    }
    return out;
  }

  @Test
  void matchesReferenceAndRestoresExactly() {
    try (NDManager root = NDManager.newBaseManager("PyTorch")) {
      NDArray w = root.create(new float[] {0.5f, -1.5f});
      w.setRequiresGradient(true);
      Map<String, NDArray> params = new LinkedHashMap<>(Map.of("w", w));
      double[] g0 = {0.3, -0.2, 0.7, 0.1};
      double[] g1 = {-1.0, 0.5, 0.25, 2.0};
      try (Gradients grads = new Gradients(params, root);
          AdamW opt = new AdamW(AdamW.Config.defaults(), params, root)) {
        for (int t = 0; t < 4; t++) {
          final int step = t;
          grads.backward(
              () -> w.mul(root.create(new float[] {(float) g0[step], (float) g1[step]})).sum());
          opt.step(grads, 1e-2);
          grads.zero();
        }
        double[] r0 = reference(0.5, g0, 1e-2, 0.01);
        double[] r1 = reference(-1.5, g1, 1e-2, 0.01);
        assertThat(w.toFloatArray())
            .containsExactly(new float[] {(float) r0[3], (float) r1[3]}, within(1e-6f));
        assertThat(opt.stepCount()).isEqualTo(4);

        // a second optimizer restored from the first's state continues identically
        NDArray w2 = w.duplicate();
        w2.setRequiresGradient(true);
        Map<String, NDArray> p2 = new LinkedHashMap<>(Map.of("w", w2));
        try (Gradients gr2 = new Gradients(p2, root);
            AdamW opt2 = new AdamW(AdamW.Config.defaults(), p2, root)) {
          opt2.restore(opt.stepCount(), opt.firstMoments(), opt.secondMoments());
          grads.backward(() -> w.mul(root.create(new float[] {0.4f, -0.4f})).sum());
          gr2.backward(() -> w2.mul(root.create(new float[] {0.4f, -0.4f})).sum());
          opt.step(grads, 1e-2);
          opt2.step(gr2, 1e-2);
          assertThat(w2.toFloatArray()).containsExactly(w.toFloatArray());
          assertThatThrownBy(() -> opt2.restore(1, Map.of(), Map.of()))
              .hasMessageContaining("does not match");
        }
      }
    }
  }

  @Test
  void clippingNaNDetectionAndSchedule() {
    try (NDManager root = NDManager.newBaseManager("PyTorch")) {
      NDArray w = root.create(new float[] {1f, 1f});
      w.setRequiresGradient(true);
      try (Gradients grads = new Gradients(Map.of("w", w), root)) {
        grads.backward(() -> w.mul(root.create(new float[] {3f, 4f})).sum());
        assertThat(grads.clipGlobalNorm(1.0)).isCloseTo(5.0, within(1e-6));
        assertThat(grads.globalNorm()).isCloseTo(1.0, within(1e-5));
        assertThat(grads.allFinite()).isTrue();
        grads.backward(() -> w.mul(root.create(new float[] {Float.NaN, 0f})).sum());
        assertThat(grads.allFinite()).isFalse();
        grads.zero();
        assertThat(grads.allFinite()).isTrue();
        assertThat(grads.globalNorm()).isZero();
      }
    }
    LrSchedule s = LrSchedule.constant(1e-5, 0.1, 100);
    assertThat(s.warmupSteps()).isEqualTo(10);
    assertThat(s.at(0)).isCloseTo(1e-6 / 1.1, within(1e-12));
    assertThat(s.at(9)).isCloseTo(1e-5 * 10 / 11, within(1e-12));
    assertThat(s.at(10)).isEqualTo(1e-5);
    LrSchedule c = LrSchedule.cosine(1.0, 0.0, 10, 0.1);
    assertThat(c.at(0)).isEqualTo(1.0);
    assertThat(c.at(5)).isCloseTo(0.55, within(1e-9));
    assertThat(c.at(10)).isCloseTo(0.1, within(1e-9));
    assertThatThrownBy(() -> LrSchedule.constant(0, 0.1, 10)).hasMessageContaining("> 0");
  }
}

package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.model.BackbonePrecision;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TestModels;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.routing.TokenRole;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every memory option against the plain fp32 path on one fixture (a saved sharp tiny model, DART
 * adapters with random B, a padded two-row batch), log-probs at the trained positions of a training
 * forward: gradient checkpointing within 1e-6 (it recomputes the same numbers), fp16 storage of the
 * backbone within {@value #FP16_TOLERANCE} (the weights rounded to fp16; the fixture's weights are
 * 10 × HF's init scale, so this is a loose bound for real checkpoints), fp16 storage with
 * checkpointing within 1e-6 of fp16 storage alone and with the same gradients (1e-5 relative).
 */
class MemoryOptionsAgreementTest {
  static final double FP16_TOLERANCE = 0.05;

  @TempDir Path dir;

  @Test
  void everyOptionAgreesWithPlainFp32() {
    try (NDManager root = NDManager.newBaseManager("PyTorch")) {
      try (DecoderModel sharp = TestModels.sharp(root, PolicyTest.PIECES.length, 41)) {
        HfCheckpoint.save(sharp, dir, SafetensorsDType.F32);
      }
      Result fp32 = run(root, BackbonePrecision.FP32, false);
      Result fp32Ckpt = run(root, BackbonePrecision.FP32, true);
      Result fp16 = run(root, BackbonePrecision.FP16, false);
      Result fp16Ckpt = run(root, BackbonePrecision.FP16, true);
      assertThat(maxDiff(fp32Ckpt.lp, fp32.lp)).isLessThanOrEqualTo(1e-6);
      double fp16Diff = maxDiff(fp16.lp, fp32.lp);
      assertThat(fp16Diff).isLessThanOrEqualTo(FP16_TOLERANCE).isGreaterThan(0);
      assertThat(maxDiff(fp16Ckpt.lp, fp16.lp)).isLessThanOrEqualTo(1e-6);
      for (String name : fp16.grads.keySet()) {
        assertThat(relative(fp16Ckpt.grads.get(name), fp16.grads.get(name)))
            .as(name)
            .isLessThanOrEqualTo(1e-5);
        assertThat(relative(fp32Ckpt.grads.get(name), fp32.grads.get(name)))
            .as(name)
            .isLessThanOrEqualTo(1e-5);
      }
    }
  }

  private record Result(float[] lp, Map<String, float[]> grads) {}

  private Result run(NDManager root, BackbonePrecision precision, boolean checkpoint) {
    try (DecoderModel m = HfCheckpoint.load(dir, root, precision);
        Policy p = Policy.create(m, PolicyConfig.dart(), PolicyTest.DETOK)) {
      PolicyTest.randomizeB(p.adapters(), 8);
      m.setGradientCheckpointing(checkpoint);
      SequenceBatch batch = GradientCheckpointingTest.batch(p);
      float[] mask = batch.lossMask(EnumSet.of(TokenRole.REASONING, TokenRole.TOOL));
      float[][] lp = new float[1][];
      Map<String, float[]> grads = new LinkedHashMap<>();
      try (NDManager s = m.newScope();
          Gradients g = new Gradients(p.trainableParameters(), s)) {
        g.backward(
            () -> {
              NDArray l = GradientCheckpointingTest.loss(p, s, batch, true);
              float[] all = p.logProbs(s, batch, 1.3f).toFloatArray();
              for (int i = 0; i < all.length; i++) {
                all[i] = mask[i] > 0 ? all[i] : 0f; // padding and prompt columns are moot
              }
              lp[0] = all;
              return l;
            });
        for (String name : p.trainableParameters().keySet()) {
          grads.put(name, g.get(name).toFloatArray());
        }
      }
      return new Result(lp[0], grads);
    }
  }

  private static double maxDiff(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return worst;
  }

  private static double relative(float[] a, float[] b) {
    double diff = 0;
    double norm = 0;
    for (int i = 0; i < a.length; i++) {
      diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
      norm += b[i] * (double) b[i];
    }
    return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
  }
}

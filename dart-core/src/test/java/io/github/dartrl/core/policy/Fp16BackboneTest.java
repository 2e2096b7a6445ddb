package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.model.BackbonePrecision;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.EmbeddingInit;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.HfNames;
import io.github.dartrl.core.model.TestModels;
import io.github.dartrl.core.model.TokenBatch;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.routing.TokenRole;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An fp16 backbone (the GPU default; the code path is device-independent, so it is checked here on
 * the CPU): matrices stored in fp16, everything else fp32, the fp32 numbers within the rounding of
 * the weights to fp16, DART adapters trained in fp32 with the gradient of the fp32 model, and FULL
 * refused.
 */
class Fp16BackboneTest {
  @TempDir Path dir;

  @Test
  void fp16MatricesGiveTheFp32NumbersWithinRoundingAndTrainFp32Adapters() {
    try (NDManager root = NDManager.newBaseManager("PyTorch")) {
      try (DecoderModel sharp = TestModels.sharp(root, PolicyTest.PIECES.length, 5)) {
        HfCheckpoint.save(sharp, dir, SafetensorsDType.F32);
      }
      float[] a;
      float[] g32;
      try (DecoderModel fp32 = HfCheckpoint.load(dir, root, BackbonePrecision.FP32)) {
        assertThat(fp32.backbonePrecision()).isEqualTo(BackbonePrecision.FP32);
        a = logits(fp32, PolicyTest.SEQ);
        g32 = adapterGradient(fp32);
      }
      try (DecoderModel fp16 = HfCheckpoint.load(dir, root, BackbonePrecision.FP16)) {
        assertThat(fp16.backbonePrecision()).isEqualTo(BackbonePrecision.FP16);
        for (var e : fp16.parameters().entrySet()) {
          DataType expected =
              e.getValue().getShape().dimension() == 2 ? DataType.FLOAT16 : DataType.FLOAT32;
          assertThat(e.getValue().getDataType()).as(e.getKey()).isEqualTo(expected);
        }
        assertThat(fp16.parameters().get(HfNames.EMBED).getDataType()).isEqualTo(DataType.FLOAT16);

        float[] b = logits(fp16, PolicyTest.SEQ);
        float scale = 0;
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
          scale = Math.max(scale, Math.abs(a[i]));
          worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertThat(b).doesNotContain(Float.NaN);
        assertThat(worst)
            .as("max |fp16 - fp32| of logits up to %s", scale)
            .isLessThan(2e-2f * scale);
        assertThat(worst).as("fp16 really is used").isGreaterThan(0f);

        float[] g16 = adapterGradient(fp16);
        assertThat(cosine(g32, g16)).isGreaterThan(0.99);

        // new-token rows initialise in the table's own type
        EmbeddingInit.fromProxies(fp16, java.util.Map.of(10L, 3L), 7);
        try (NDArray row = fp16.parameters().get(HfNames.EMBED).get(10);
            NDArray proxy = fp16.parameters().get(HfNames.EMBED).get(3)) {
          assertThat(row.getDataType()).isEqualTo(DataType.FLOAT16);
          float[] r = row.toType(DataType.FLOAT32, false).toFloatArray();
          float[] q = proxy.toType(DataType.FLOAT32, false).toFloatArray();
          assertThat(r).isNotEqualTo(q);
          assertThat(r[0]).isCloseTo(q[0], org.assertj.core.data.Offset.offset(0.5f));
        }

        assertThatThrownBy(
                () -> Policy.create(fp16, PolicyConfig.of(Method.FULL, 8), PolicyTest.DETOK))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("fp32")
            .hasMessageContaining("FULL");
      }
    }
  }

  private static float[] logits(DecoderModel m, long[] ids) {
    try (NDManager s = m.newScope()) {
      NDArray l = m.logits(m.hidden(s, TokenBatch.of(ids), null, null));
      assertThat(l.getDataType()).isEqualTo(DataType.FLOAT32);
      return l.toFloatArray();
    }
  }

  /** The DART adapters' gradient (fp32, finite, the backbone frozen), flattened. */
  private static float[] adapterGradient(DecoderModel m) {
    try (Policy p = Policy.create(m, PolicyConfig.dart(), PolicyTest.DETOK)) {
      PolicyTest.randomizeB(p.adapters(), 9);
      SequenceBatch batch =
          new SequenceBatch(
              List.of(PolicyTest.SEQ), List.of(PolicyTest.rolesOf(PolicyTest.SEQ, 1, p)), 0);
      try (NDManager s = m.newScope();
          Gradients g = new Gradients(p.trainableParameters(), s)) {
        g.backward(
            () -> PolicyTest.loss(p, s, batch, EnumSet.of(TokenRole.REASONING, TokenRole.TOOL)));
        p.checkFrozenBackbone();
        java.util.List<Float> all = new java.util.ArrayList<>();
        for (String name : p.trainableParameters().keySet()) {
          NDArray grad = g.get(name);
          assertThat(grad.getDataType()).as(name).isEqualTo(DataType.FLOAT32);
          for (float v : grad.toFloatArray()) {
            assertThat(Float.isFinite(v)).as(name).isTrue();
            all.add(v);
          }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = all.get(i);
        }
        return out;
      }
    }
  }

  private static double cosine(float[] x, float[] y) {
    double dot = 0;
    double nx = 0;
    double ny = 0;
    for (int i = 0; i < x.length; i++) {
      dot += x[i] * y[i];
      nx += x[i] * x[i];
      ny += y[i] * y[i];
    }
    return dot / Math.sqrt(nx * ny);
  }
}

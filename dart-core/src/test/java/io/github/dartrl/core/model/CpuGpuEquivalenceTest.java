package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.io.SafetensorsDType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same checkpoint gives the same log-probs on the GPU as on the CPU: within {@value #FP32_TOL}
 * (absolute, per token) with fp32 weights on both, within {@value #FP16_TOL} with the GPU's default
 * fp16 backbone. Runs only where libtorch sees a CUDA GPU (scripts/gpu-check.sh); skipped
 * elsewhere.
 */
class CpuGpuEquivalenceTest {
  /** fp32 on both: only the order of floating-point sums differs between the devices' kernels. */
  static final double FP32_TOL = 1e-3;

  /** fp16 weights on the GPU: the weights' rounding to 11 significant bits adds to that. */
  static final double FP16_TOL = 5e-2;

  static final long[] SEQ = {3, 0, 1, 4, 5, 2, 1, 8, 9, 0, 1, 6, 2, 1, 7};

  @TempDir Path dir;

  @Test
  void logProbsOnTheGpuMatchTheCpu() {
    assumeTrue(Engine.getEngine("PyTorch").getGpuCount() > 0, "no CUDA GPU visible to libtorch");
    try (NDManager cpu = Devices.newRoot(Device.cpu());
        NDManager gpu = Devices.newRoot(Device.gpu(0))) {
      try (DecoderModel sharp = TestModels.sharp(cpu, 11, 17)) {
        HfCheckpoint.save(sharp, dir, SafetensorsDType.F32);
      }
      float[] reference = logProbs(HfCheckpoint.load(dir, cpu, BackbonePrecision.FP32));
      float[] fp32 = logProbs(HfCheckpoint.load(dir, gpu, BackbonePrecision.FP32));
      float[] fp16 = logProbs(HfCheckpoint.load(dir, gpu)); // the GPU default
      for (int i = 0; i < reference.length; i++) {
        assertThat((double) fp32[i])
            .as("fp32, token %d", i)
            .isCloseTo(reference[i], within(FP32_TOL));
        assertThat((double) fp16[i])
            .as("fp16, token %d", i)
            .isCloseTo(reference[i], within(FP16_TOL));
      }
    }
  }

  private static org.assertj.core.data.Offset<Double> within(double tol) {
    return org.assertj.core.data.Offset.offset(tol);
  }

  /** Log-probs of SEQ's tokens after their prefixes, computed on the model's device; closes it. */
  private static float[] logProbs(DecoderModel model) {
    try (model;
        NDManager s = model.newScope()) {
      long[] in = java.util.Arrays.copyOf(SEQ, SEQ.length - 1);
      long[] next = java.util.Arrays.copyOfRange(SEQ, 1, SEQ.length);
      NDArray hidden = model.hidden(s, TokenBatch.of(in), null, null);
      NDArray targets = OwnedArrays.of(s, next, new ai.djl.ndarray.types.Shape(1, next.length));
      return model.logProbs(hidden, targets, 1f).toFloatArray();
    }
  }
}

package io.github.dartrl.core.generate;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.model.NonFiniteOutputException;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * NaN next-token probabilities (finite but huge weights overflow fp32) fail generation with an
 * exception naming what and where, instead of decoding token 0 (often {@code <pad>}) as if nothing
 * happened.
 */
class NonFiniteOutputTest {
  static final float NAN = Float.NaN;

  @Test
  void greedyAndSampledChoicesRefuseANanRow() {
    float[] rows = {0.25f, 0.25f, 0.25f, 0.25f, NAN, NAN, NAN, NAN};
    TokenSampler greedy = new TokenSampler(SamplingParams.greedy(1));
    assertThatThrownBy(() -> greedy.choose(rows, 4, 4, new SplittableRandom(1)))
        .isInstanceOf(NonFiniteOutputException.class)
        .hasMessageContaining("non-finite next-token probabilities")
        .hasMessageContaining("decode row 1");
    TokenSampler sampled = new TokenSampler(SamplingParams.sample(1.0, 1, 3));
    assertThatThrownBy(() -> sampled.choose(rows, 4, 4, new SplittableRandom(1)))
        .isInstanceOf(NonFiniteOutputException.class);
    TokenSampler topK = new TokenSampler(SamplingParams.sample(1.0, 1, 3).withTopKTopP(2, 1.0));
    assertThatThrownBy(() -> topK.choose(rows, 4, 4, new SplittableRandom(1)))
        .isInstanceOf(NonFiniteOutputException.class);
  }

  @Test
  void generationWithHugeWeightsFailsClearly() {
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel m = DecoderModel.randomInit(ModelConfig.tiny(16), 1, root)) {
      for (NDArray w : m.parameters().values()) {
        float[] huge = new float[Math.toIntExact(w.size())];
        for (int i = 0; i < huge.length; i++) {
          huge[i] = i % 2 == 0 ? 3e38f : -3e38f; // finite, but overflows fp32 inside the network
        }
        w.set(huge);
      }
      assertThatThrownBy(
              () ->
                  Generator.generate(
                      m, List.of(new long[] {1, 2, 3}), SamplingParams.greedy(4), ids -> ""))
          .isInstanceOf(NonFiniteOutputException.class)
          .hasMessageContaining("next-token probabilities");
    }
  }
}

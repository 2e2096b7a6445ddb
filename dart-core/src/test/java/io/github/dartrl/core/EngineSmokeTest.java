package io.github.dartrl.core;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class EngineSmokeTest {
  @Test
  void pytorchEngineLoadsOffline() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray a = m.create(new float[] {1, 2, 3, 4}).reshape(2, 2);
      assertThat(a.matMul(a).toFloatArray()).containsExactly(7, 10, 15, 22);
    }
  }
}

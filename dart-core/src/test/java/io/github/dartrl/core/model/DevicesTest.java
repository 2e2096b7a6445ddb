package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesTest {
  @Test
  void parsesTheThreeForms() {
    assertThat(Devices.parse("cpu")).isEqualTo(Device.cpu());
    assertThat(Devices.parse("GPU")).isEqualTo(Device.gpu(0));
    assertThat(Devices.parse("gpu:2")).isEqualTo(Device.gpu(2));
    assertThat(Devices.name(Devices.parse("gpu"))).isEqualTo("gpu:0");
    assertThat(Devices.name(Device.cpu())).isEqualTo("cpu");
    for (String bad : new String[] {"cuda", "gpu:", "gpu:-1", "gpu:x", "", "cpu:0"}) {
      assertThatThrownBy(() -> Devices.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cpu, gpu or gpu:N");
    }
  }

  @Test
  void aGpuWithoutACudaLibtorchIsAClearError() {
    assumeTrue(Engine.getEngine("PyTorch").getGpuCount() == 0, "this machine has a GPU");
    assertThatThrownBy(() -> Devices.newRoot(Device.gpu(0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gpu:0")
        .hasMessageContaining("no CUDA GPU")
        .hasMessageContaining("-Dcuda");
  }

  @Test
  void everyArrayOfALoadedModelIsOnTheRootsDevice(@TempDir Path dir) {
    TinyModels.create(dir, List.of("a", "b"), new TinyModels.Size(16, 1, 2, 1, 32, 64), 1);
    try (NDManager root = Devices.newRoot(Device.cpu());
        DecoderModel model = HfCheckpoint.load(dir, root)) {
      assertThat(root.getDevice()).isEqualTo(Device.cpu());
      for (NDArray a : model.parameters().values()) {
        assertThat(a.getDevice()).as(a.getName()).isEqualTo(Device.cpu());
      }
    }
  }
}

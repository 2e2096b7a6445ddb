package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  void theModelKvCacheAdaptersAndOptimizerStateLiveOnTheCpuRoot(@TempDir Path dir) {
    everythingOn(Device.cpu(), dir);
  }

  @Test
  void theModelKvCacheAdaptersAndOptimizerStateLiveOnTheGpuRoot(@TempDir Path dir) {
    assumeTrue(Engine.getEngine("PyTorch").getGpuCount() > 0, "no CUDA GPU visible to libtorch");
    everythingOn(Device.gpu(0), dir);
  }

  /** Every array a training run holds is created on the root manager's device. */
  private static void everythingOn(Device device, Path dir) {
    TinyModels.create(dir, List.of("a", "b"), new TinyModels.Size(16, 1, 2, 1, 32, 64), 1);
    try (NDManager root = Devices.newRoot(device);
        DecoderModel model = HfCheckpoint.load(dir, root);
        TextTokenizer tok = TextTokenizer.load(dir);
        Policy policy = Policy.create(model, PolicyConfig.dart(), tok);
        AdamW adam =
            new AdamW(AdamW.Config.defaults(), policy.trainableParameters(), model.manager());
        KvCache cache = model.newCache(1, 8)) {
      assertThat(root.getDevice()).isEqualTo(device);
      Map<String, NDArray> all = new LinkedHashMap<>(model.parameters());
      all.putAll(policy.trainableParameters());
      adam.firstMoments().forEach((k, v) -> all.put("m/" + k, v));
      adam.secondMoments().forEach((k, v) -> all.put("v/" + k, v));
      assertThat(all).hasSizeGreaterThan(model.parameters().size() + 4);
      all.forEach((name, a) -> assertThat(a.getDevice()).as(name).isEqualTo(device));
      try (NDManager s = model.newScope()) {
        NDArray h = model.hidden(s, TokenBatch.of(0, 1), cache, null);
        assertThat(h.getDevice()).isEqualTo(device);
      }
    }
  }
}

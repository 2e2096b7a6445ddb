package io.github.dartrl.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading reads the file with positional reads and never maps it: pages of a mapping count in the
 * resident set until the garbage collector unmaps the buffer, which added a whole bf16 shard to the
 * peak of loading a real checkpoint. Checked on /proc/self/maps (Linux) after loading bf16, f16 and
 * f32 tensors, in one chunk and in several.
 */
class LoadWithoutMappingTest {
  @TempDir Path dir;

  @Test
  void loadingLeavesNoMappingOfTheFile() throws Exception {
    Path maps = Path.of("/proc/self/maps");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(maps));
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      float[] data = new float[1000];
      for (int i = 0; i < data.length; i++) {
        data[i] = (i % 17) * 0.25f - 2f;
      }
      for (SafetensorsDType type :
          new SafetensorsDType[] {
            SafetensorsDType.BF16, SafetensorsDType.F16, SafetensorsDType.F32
          }) {
        Path file = dir.resolve("w-" + type + ".safetensors");
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("w", m.create(data, new Shape(10, 100)));
        SafetensorsWriter.write(file, tensors, Map.of(), type);
        for (int chunk : new int[] {1 << 20, 64}) {
          try (SafetensorsFile f = SafetensorsFile.open(file, chunk, 256);
              NDArray w = f.load("w", m)) {
            assertThat(w.toFloatArray()).as("%s chunk %d", type, chunk).containsExactly(data);
            assertThat(Files.readString(maps))
                .as("%s chunk %d", type, chunk)
                .doesNotContain(file.getFileName().toString());
          }
        }
      }
    }
  }
}

package io.github.dartrl.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.world.World;
import io.github.dartrl.examples.world.WorldConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reusing an earlier run's warm start: what is copied, and what is refused. */
class WarmStartReuseTest {

  /** An earlier run's layout: world/, index/ (any files), model-sft/ (an HF dir), sft/. */
  private static Path earlierRun(Path dir, WorldConfig world) throws Exception {
    World.generate(world).writeTo(dir.resolve("world"));
    Files.createDirectories(dir.resolve("index"));
    Files.writeString(dir.resolve("index").resolve("segments_1"), "stand-in");
    TinyModels.create(
        dir.resolve("model-sft"),
        List.of("a", "b", "c"),
        new TinyModels.Size(16, 1, 2, 1, 32, 64),
        1);
    Files.createDirectories(dir.resolve("sft"));
    Files.writeString(
        dir.resolve("sft").resolve("metrics.jsonl"), "{\"step\":1,\"sft/loss\":0.5}\n");
    return dir;
  }

  @Test
  void copiesTheWarmStartIntoTheNewRunAndKeepsTheOriginal(@TempDir Path tmp) throws Exception {
    Path from = earlierRun(tmp.resolve("old"), WorldConfig.small());
    Path out = tmp.resolve("new");
    Files.createDirectories(out);

    WarmStart w = WarmStartReuse.copy(WorldConfig.small(), from, out, new Phases(1, 0));

    assertThat(w.warmModel()).isEqualTo(out.resolve("model-sft"));
    assertThat(w.indexDir()).isEqualTo(out.resolve("index"));
    assertThat(w.modelConfig().hiddenSize()).isEqualTo(16);
    assertThat(w.world().config()).isEqualTo(WorldConfig.small());
    for (String f :
        new String[] {
          "world/world.json",
          "world/test.jsonl",
          "index/segments_1",
          "model-sft/config.json",
          "sft/metrics.jsonl"
        }) {
      assertThat(out.resolve(f)).as(f).exists();
      assertThat(Files.mismatch(from.resolve(f), out.resolve(f))).as(f).isEqualTo(-1L);
    }
    assertThat(from.resolve("model-sft/config.json")).exists();
  }

  @Test
  void refusesAMissingDirectoryOrAnotherWorld(@TempDir Path tmp) throws Exception {
    Path from = earlierRun(tmp.resolve("old"), WorldConfig.small());
    Path out = tmp.resolve("new");
    Files.createDirectories(out);
    assertThatThrownBy(
            () -> WarmStartReuse.copy(WorldConfig.defaults(), from, out, new Phases(1, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("world.json")
        .hasMessageContaining("another world configuration");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> WarmStartReuse.copy(WorldConfig.small(), empty, out, new Phases(1, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no world/ directory");
    assertThat(out.resolve("model-sft")).doesNotExist();
  }
}

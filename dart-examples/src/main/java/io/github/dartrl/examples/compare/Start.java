package io.github.dartrl.examples.compare;

import io.github.dartrl.examples.quickstart.QuickstartConfig;
import io.github.dartrl.examples.quickstart.WarmStart;
import io.github.dartrl.examples.quickstart.WarmStartReuse;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.metrics.StepMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the runs of a seed start from: the world's files, the BM25 index and the warm-started model,
 * made by {@link WarmStart} in this run or by an earlier quickstart/compare run.
 */
record Start(Path worldDir, Path indexDir, Path warmModel, double sftFinalLoss) {
  static Start of(WarmStart w) {
    return new Start(w.worldDir(), w.indexDir(), w.warmModel(), w.sftFinalLoss());
  }

  /**
   * The warm start in {@code dir} ({@code world/}, {@code index/}, {@code model-sft/}); its world
   * must be the one {@code c} describes, since the test split and prompts come from it.
   */
  static Start load(Path dir, QuickstartConfig c) throws IOException {
    for (String sub : List.of("world/world.json", "index", "model-sft/config.json")) {
      if (!Files.exists(dir.resolve(sub))) {
        throw new IllegalArgumentException(
            "--warm-start " + dir + " is not a quickstart or compare seed directory: no " + sub);
      }
    }
    WarmStartReuse.requireSameWorld(
        dir.resolve("world/world.json"), c.world(), "--warm-start " + dir);
    Path sftMetrics = dir.resolve("sft").resolve(MetricsLog.FILE_NAME);
    double loss = Double.NaN;
    if (Files.exists(sftMetrics)) {
      List<StepMetrics> m = MetricsLog.read(sftMetrics);
      loss = m.isEmpty() ? Double.NaN : m.get(m.size() - 1).value("sft/loss");
    }
    return new Start(dir.resolve("world"), dir.resolve("index"), dir.resolve("model-sft"), loss);
  }
}

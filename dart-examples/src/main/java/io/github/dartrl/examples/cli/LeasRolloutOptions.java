package io.github.dartrl.examples.cli;

import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The data, retrieval and rollout options shared by {@code leas probe} and {@code leas
 * attribution}.
 */
final class LeasRolloutOptions {
  @Mixin DeviceOption deviceOption;

  @Mixin RolloutOptions rolloutOptions;

  @Option(
      names = "--data",
      paramLabel = "FILE",
      description = "QA JSONL (id, question, golden_answers)")
  Path data;

  @Option(names = "--index", paramLabel = "DIR", description = "Lucene BM25 index directory")
  Path index;

  @Option(names = "--limit", paramLabel = "N", description = "use only the first N questions")
  Integer limit;

  @Option(
      names = "--temperature",
      defaultValue = "1.0",
      description = "sampling temperature (default: ${DEFAULT-VALUE})")
  double temperature;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "sampling seed (default: ${DEFAULT-VALUE})")
  long seed;

  RolloutConfig rollout() {
    return rolloutOptions.rollout().withSampling(temperature, 1.0);
  }

  /** The prompt template; {@code chat} reads {@code modelDir}'s chat template. */
  PromptTemplate promptTemplate(Path modelDir) {
    return rolloutOptions.promptTemplate(modelDir);
  }

  void requireDataAndIndex(CommandSpec spec) {
    if (data == null || index == null) {
      throw new ParameterException(spec.commandLine(), "--data and --index are required");
    }
    if (!Files.isRegularFile(data)) {
      throw new IllegalArgumentException("dataset not found: " + data);
    }
    if (!Files.isDirectory(index)) {
      throw new IllegalArgumentException("index directory not found: " + index);
    }
    if (limit != null && limit < 1) {
      throw new ParameterException(spec.commandLine(), "--limit must be >= 1");
    }
  }

  List<QaExample> questions() throws java.io.IOException {
    List<QaExample> all = QaDataset.readJsonl(data).examples();
    return limit == null ? all : all.subList(0, Math.min(limit, all.size()));
  }
}

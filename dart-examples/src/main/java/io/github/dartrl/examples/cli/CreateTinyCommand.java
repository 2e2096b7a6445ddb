package io.github.dartrl.examples.cli;

import io.github.dartrl.core.io.AtomicDirectory;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import io.github.dartrl.examples.harness.OutputDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code dart4j create-tiny}: a random Qwen2-architecture model with a word-level tokenizer. */
@Command(
    name = "create-tiny",
    mixinStandardHelpOptions = true,
    description = "Create a randomly initialised tiny Qwen2 model as an HF directory.")
public final class CreateTinyCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  @Option(
      names = "--text",
      description = "text file whose words form the vocabulary (default: a built-in sample)")
  Path text;

  @Option(names = "--hidden", defaultValue = "128")
  int hidden;

  @Option(names = "--layers", defaultValue = "4")
  int layers;

  @Option(names = "--heads", defaultValue = "4")
  int heads;

  @Option(names = "--kv-heads", defaultValue = "2")
  int kvHeads;

  @Option(names = "--intermediate", defaultValue = "384")
  int intermediate;

  @Option(names = "--max-positions", defaultValue = "1024")
  int maxPositions;

  @Option(names = "--seed", defaultValue = "0")
  long seed;

  static final String SAMPLE =
      "answer the given question . you can search with <search> query </search> and read the"
          + " results between <information> and </information> . give the answer inside <answer>"
          + " and </answer> . the capital of france is paris . who wrote the book ? where was the"
          + " company founded ? let me search for it . i need to find the city . so the answer is";

  /** Checks the sizes before anything is written, naming the option at fault (exit code 2). */
  private TinyModels.Size size() {
    String[] names = {
      "--hidden", "--layers", "--heads", "--kv-heads", "--intermediate", "--max-positions"
    };
    int[] values = {hidden, layers, heads, kvHeads, intermediate, maxPositions};
    for (int i = 0; i < names.length; i++) {
      if (values[i] <= 0) {
        throw new ParameterException(
            spec.commandLine(), names[i] + " must be > 0, got " + values[i]);
      }
    }
    try {
      return new TinyModels.Size(hidden, layers, heads, kvHeads, intermediate, maxPositions);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "--hidden/--heads/--kv-heads: " + e.getMessage());
    }
  }

  @Override
  public Integer call() throws Exception {
    TinyModels.Size size = size();
    OutputDir.requireNew(out, "--out");
    Path target = out.toAbsolutePath().normalize();
    // A killed run leaves only its hidden staging sibling (.NAME.tmp-*): remove it, nothing else.
    AtomicDirectory.recover(target.getParent(), target.getFileName().toString());
    if (text != null && !Files.isRegularFile(text)) {
      throw new IllegalArgumentException("--text file not found: " + text);
    }
    List<String> words;
    try (Stream<String> texts = text == null ? Stream.of(SAMPLE) : Files.lines(text)) {
      words = WordLevelTokenizerWriter.vocabularyFrom(texts, 1, 50_000);
    }
    // Written into a hidden sibling and renamed into place complete, so a killed run never leaves
    // a half-written model under the requested name.
    ModelConfig[] created = new ModelConfig[1];
    AtomicDirectory.replace(
        target, staging -> created[0] = TinyModels.create(staging, words, size, seed));
    ModelConfig c = created[0];
    spec.commandLine()
        .getOut()
        .printf(
            "created %s: %d layers, d=%d, vocab %d, %,d parameters%n",
            out, c.numLayers(), c.hiddenSize(), c.vocabSize(), c.parameterCount());
    return 0;
  }
}

package io.github.dartrl.examples.real;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import io.github.dartrl.examples.cli.DartCli;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.train.Trainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The train-real path end to end on CPU: a tiny HF model directory, a Search-R1 corpus and FlashRAG
 * datasets written here, two GRPO steps with the full Search-R1 instruction, adapters and metrics
 * saved, then a resumed third step.
 */
class TrainRealTest {
  private static final String[][] FACTS = {
    {"paris", "france", "the capital of france is paris ."},
    {"berlin", "germany", "the capital of germany is berlin ."},
    {"rome", "italy", "the capital of italy is rome ."},
    {"madrid", "spain", "the capital of spain is madrid ."},
    {"lisbon", "portugal", "the capital of portugal is lisbon ."},
    {"vienna", "austria", "the capital of austria is vienna ."}
  };

  @TempDir Path tmp;

  @Test
  void trainsTwoStepsSavesAdaptersAndMetricsThenResumes() throws Exception {
    Path corpus = tmp.resolve("corpus.jsonl");
    Path train = tmp.resolve("train.jsonl");
    Path test = tmp.resolve("test.jsonl");
    List<String> corpusLines = new ArrayList<>();
    List<String> qa = new ArrayList<>();
    for (int i = 0; i < FACTS.length; i++) {
      String[] f = FACTS[i];
      corpusLines.add(
          "{\"id\": \"" + i + "\", \"contents\": \"\\\"" + f[1] + "\\\"\\n" + f[2] + "\"}");
      qa.add(
          "{\"id\": \"q"
              + i
              + "\", \"question\": \"what is the capital of "
              + f[1]
              + "\", \"golden_answers\": [\""
              + f[0]
              + "\"], \"data_source\": \"nq\"}");
    }
    Files.write(corpus, corpusLines);
    Files.write(train, qa.subList(0, 4));
    Files.write(test, qa.subList(4, 6));
    Path model = tmp.resolve("model");
    List<String> texts = new ArrayList<>(List.of(PromptTemplate.SEARCH_R1_INSTRUCTION));
    Stream.of(FACTS).forEach(f -> texts.add("what is the capital of " + f[1] + " " + f[2]));
    TinyModels.create(
        model,
        WordLevelTokenizerWriter.vocabularyFrom(texts.stream(), 1, Integer.MAX_VALUE),
        TinyModels.Size.test(),
        1);
    Path out = tmp.resolve("out");
    List<String> args =
        new ArrayList<>(
            List.of(
                "train-real",
                "--model",
                model.toString(),
                "--train",
                train.toString(),
                "--test",
                test.toString(),
                "--corpus",
                corpus.toString(),
                "--method",
                "DART",
                "--prompts-per-step",
                "2",
                "--group-size",
                "2",
                "--max-turns",
                "1",
                "--turn-tokens",
                "12",
                "--lr",
                "1e-3",
                "--checkpoint-every",
                "1",
                "--out",
                out.toString()));

    StringWriter stdout = new StringWriter();
    assertThat(run(args, "--steps", "2", stdout)).isZero();

    assertThat(stdout.toString()).contains("DART: 2 steps, test EM");
    assertThat(out.resolve("index")).isDirectory();
    assertThat(out.resolve("adapters/dart.json")).exists();
    for (String a : List.of("reasoning", "tool")) {
      assertThat(out.resolve("adapters/" + a + "/adapter_model.safetensors")).exists();
      assertThat(out.resolve("adapters/" + a + "/adapter_config.json")).exists();
    }
    assertThat(MetricsLog.read(out.resolve("grpo/metrics.jsonl"))).hasSize(2);
    assertThat(Trainer.latestCheckpoint(out.resolve("grpo"))).isPresent();
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("steps").asInt()).isEqualTo(2);
    assertThat(summary.get("method").asText()).isEqualTo("DART");
    assertThat(summary.get("learning_rate").asDouble()).isEqualTo(1e-3);
    assertThat(summary.get("test_count_by_source").get("nq").asInt()).isEqualTo(2);
    assertThat(summary.get("test_em").asDouble()).isBetween(0.0, 1.0);

    // the same output directory again without --resume is refused; with it, training continues
    StringWriter ignored = new StringWriter();
    assertThat(run(args, "--steps", "3", ignored)).isEqualTo(1);
    args.add("--resume");
    assertThat(run(args, "--steps", "3", ignored)).isZero();
    assertThat(MetricsLog.read(out.resolve("grpo/metrics.jsonl")))
        .extracting(m -> m.step())
        .containsExactly(1, 2, 3);
  }

  private static int run(List<String> args, String opt, String value, StringWriter stdout) {
    CommandLine cli = DartCli.commandLine();
    cli.setOut(new PrintWriter(stdout));
    StringWriter stderr = new StringWriter();
    cli.setErr(new PrintWriter(stderr));
    List<String> all = new ArrayList<>(args);
    all.add(opt);
    all.add(value);
    int exit = cli.execute(all.toArray(String[]::new));
    if (exit != 0) {
      assertThat(stderr.toString()).contains("--resume");
    }
    return exit;
  }
}

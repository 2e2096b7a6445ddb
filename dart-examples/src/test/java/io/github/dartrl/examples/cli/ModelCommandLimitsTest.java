package io.github.dartrl.examples.cli;

import static io.github.dartrl.examples.cli.ModelCommandsTest.createTiny;
import static io.github.dartrl.examples.cli.ModelCommandsTest.run;
import static io.github.dartrl.examples.cli.ModelCommandsTest.sample;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** generate, score and create-tiny at and past their limits. */
class ModelCommandLimitsTest {
  @TempDir static Path tmp;
  static Path model;

  @BeforeAll
  static void create() {
    model = tmp.resolve("tiny");
    createTiny(model, "--layers", "1", "--max-positions", "40");
  }

  @Test
  void generatingPastMaxPositionsReturnsWhatFitsWithFinishReasonLength() throws Exception {
    JsonNode g = sample(model, 3000, 1);
    int generated = g.get("tokens").size();
    if (g.get("finish_reason").asText().equals("length")) {
      assertThat(generated).isEqualTo(40 - 5); // every position the model has, none discarded
    } else {
      assertThat(generated).isBetween(1, 35);
    }
  }

  @Test
  void promptTokensOutsideTheTextAreRefused() {
    for (String bad : new String[] {"-3", "1000"}) {
      CliRun r =
          run("score", "-m", model.toString(), "--text", "the capital", "--prompt-tokens", bad);
      assertThat(r.exit()).isEqualTo(2);
      assertThat(r.err())
          .contains("--prompt-tokens must be between 0 and 2")
          .contains("got " + bad);
    }
    CliRun ok =
        run("score", "-m", model.toString(), "--text", "the capital", "--prompt-tokens", "2");
    assertThat(ok.exit()).as(ok.err()).isZero();
  }

  @Test
  void hugeWeightsFailScoringAndGenerationInsteadOfPrintingNan() throws Exception {
    Path huge = tmp.resolve("huge");
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel m = HfCheckpoint.load(model, root)) {
      for (NDArray w : m.parameters().values()) {
        float[] v = new float[Math.toIntExact(w.size())];
        for (int i = 0; i < v.length; i++) {
          v[i] = i % 2 == 0 ? 3e38f : -3e38f;
        }
        w.set(v);
      }
      HfCheckpoint.save(m, huge, SafetensorsDType.F32);
    }
    Files.copy(model.resolve("tokenizer.json"), huge.resolve("tokenizer.json"));
    CliRun score = run("score", "-m", huge.toString(), "--text", "the capital is");
    assertThat(score.exit()).isEqualTo(1);
    assertThat(score.err()).contains("non-finite log-probability").contains("token 1");
    CliRun gen = run("generate", "-m", huge.toString(), "-p", "the capital");
    assertThat(gen.exit()).isEqualTo(1);
    assertThat(gen.err()).contains("non-finite next-token probabilities");
  }

  @Test
  void aKilledCreateTinyLeavesNothingThatBlocksTheRerun() throws Exception {
    Path out = tmp.resolve("rerun");
    // what a run killed mid-write leaves: its hidden staging sibling, never the target itself
    Path staging = Files.createDirectories(tmp.resolve(".rerun.tmp-12345"));
    Files.write(staging.resolve("model.safetensors"), new byte[4096]);
    Path unrelated = Files.createDirectories(tmp.resolve(".other.tmp-1"));
    CliRun r = run("create-tiny", "--out", out.toString(), "--hidden", "32", "--layers", "1");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(out.resolve("config.json")).exists();
    assertThat(staging).doesNotExist();
    assertThat(unrelated).exists();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".rerun."));
    }
  }
}

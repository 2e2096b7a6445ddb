package io.github.dartrl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {
  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void createGenerateAndScoreATinyModel(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("tiny");
    CliRun created =
        run(
            "create-tiny",
            "--out",
            model.toString(),
            "--hidden",
            "32",
            "--layers",
            "2",
            "--intermediate",
            "64");
    assertThat(created.exit()).as(created.err()).isZero();
    assertThat(created.out()).contains("created");
    CliRun gen =
        run(
            "generate",
            "-m",
            model.toString(),
            "-p",
            "the capital of france is",
            "--max-new-tokens",
            "5",
            "--temperature",
            "1.0",
            "--seed",
            "3",
            "--json");
    assertThat(gen.exit()).as(gen.err()).isZero();
    JsonNode g = new ObjectMapper().readTree(gen.out());
    assertThat(g.get("tokens").size()).isBetween(1, 5);
    assertThat(g.get("finish_reason").asText()).isIn("length", "eos");
    CliRun score =
        run("score", "-m", model.toString(), "--text", "the capital of france is paris .");
    assertThat(score.exit()).as(score.err()).isZero();
    JsonNode s = new ObjectMapper().readTree(score.out());
    assertThat(s.get("tokens").size()).isEqualTo(7);
    assertThat(s.get("tokens").get(0).get("logprob").isNull()).isTrue();
    for (int i = 1; i < 7; i++) {
      assertThat(s.get("tokens").get(i).get("logprob").asDouble()).isNegative();
    }
  }

  @Test
  void badModelDirectoryGivesOneClearLine(@TempDir Path tmp) throws Exception {
    CliRun missing = run("generate", "-m", tmp.resolve("nope").toString(), "-p", "x");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("model directory not found").doesNotContain("Exception");
    Files.writeString(tmp.resolve("config.json"), "{}");
    Files.writeString(tmp.resolve("tokenizer.json"), "{}");
    CliRun bad = run("score", "-m", tmp.toString(), "--text", "x");
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("config.json").contains("model_type");
    CliRun noTok = run("score", "-m", tmp.resolve("missing").toString(), "--text", "x");
    assertThat(noTok.err()).contains("not found");
    CliRun usage = run("generate", "-m", tmp.toString());
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("--prompt");
  }
}

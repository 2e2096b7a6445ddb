package io.github.dartrl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCommandsTest {
  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  /** {@code dart4j create-tiny --out model --hidden 32 --intermediate 64} and {@code options}. */
  static CliRun createTiny(Path model, String... options) {
    String[] args = {"create-tiny", "--out", model.toString(), "--hidden", "32"};
    CliRun created =
        run(
            Stream.of(args, options, new String[] {"--intermediate", "64"})
                .flatMap(Arrays::stream)
                .toArray(String[]::new));
    assertThat(created.exit()).as(created.err()).isZero();
    return created;
  }

  /**
   * {@code dart4j generate --json} of the capital prompt, sampled at temperature 1 with {@code
   * seed}; asserts it succeeded and returns its JSON.
   */
  static JsonNode sample(Path model, int maxNewTokens, int seed) throws IOException {
    CliRun gen =
        run(
            "generate",
            "-m",
            model.toString(),
            "-p",
            "the capital of france is",
            "--max-new-tokens",
            Integer.toString(maxNewTokens),
            "--temperature",
            "1.0",
            "--seed",
            Integer.toString(seed),
            "--json");
    assertThat(gen.exit()).as(gen.err()).isZero();
    return new ObjectMapper().readTree(gen.out());
  }

  @Test
  void createGenerateAndScoreATinyModel(@TempDir Path tmp) throws Exception {
    Path model = tmp.resolve("tiny");
    CliRun created = createTiny(model, "--layers", "2");
    assertThat(created.out()).contains("created");
    JsonNode g = sample(model, 5, 3);
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

package io.github.dartrl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dart4j merge} writes an HF model that scores a text as the model with the adapter does.
 */
class MergeCommandTest {
  static final String TEXT = "the capital of france is paris .";

  static double total(CliRun r) throws Exception {
    assertThat(r.exit()).as(r.err()).isZero();
    return new ObjectMapper().readTree(r.out()).get("total_logprob").asDouble();
  }

  /** A LoRA adapter with random A and B (B = 0 would make the merge a no-op). */
  static Path randomAdapter(Path model, Path to, Method method) {
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel m = HfCheckpoint.load(model, root);
        Policy p = Policy.create(m, PolicyConfig.of(method, 4), ids -> "")) {
      Random rng = new Random(5);
      for (int a = 0; a < p.adapters().configs().size(); a++) {
        try (NDManager s = m.newScope()) {
          for (Map.Entry<String, NDArray[]> e : p.adapters().weightsOf(a, s).entrySet()) {
            p.adapters()
                .setWeights(
                    a,
                    e.getKey(),
                    random(s, e.getValue()[0], rng),
                    random(s, e.getValue()[1], rng));
          }
        }
      }
      PolicyCheckpoint.save(p, to);
    }
    return to;
  }

  static NDArray random(NDManager s, NDArray like, Random rng) {
    float[] v = new float[(int) like.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rng.nextGaussian() * 0.3f;
    }
    return s.create(v, like.getShape());
  }

  /** A tiny model written by the {@code create-tiny} command. */
  private static Path createTiny(Path model) {
    CliRun r =
        CliRun.of(
            "create-tiny",
            "--out",
            model.toString(),
            "--hidden",
            "32",
            "--layers",
            "2",
            "--intermediate",
            "64");
    assertThat(r.exit()).as(r.err()).isZero();
    return model;
  }

  @Test
  void mergedLoraScoresLikeTheAdapterModel(@TempDir Path tmp) throws Exception {
    Path model = createTiny(tmp.resolve("tiny"));
    Path adapters = randomAdapter(model, tmp.resolve("adapters"), Method.LORA);
    double withAdapter =
        total(
            CliRun.of(
                "score",
                "-m",
                model.toString(),
                "--adapters",
                adapters.toString(),
                "--text",
                TEXT));
    double bare = total(CliRun.of("score", "-m", model.toString(), "--text", TEXT));
    assertThat(Math.abs(withAdapter - bare)).isGreaterThan(1e-2);
    Path merged = tmp.resolve("merged");
    // the plain PEFT sub-directory, without dart.json, is accepted as --adapters too
    CliRun run =
        CliRun.of(
            "merge",
            "-m",
            model.toString(),
            "--adapters",
            adapters.resolve("default").toString(),
            "--out",
            merged.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("merged adapter default");
    assertThat(merged.resolve("tokenizer.json")).exists();
    assertThat(merged.resolve("config.json")).exists();
    double mergedTotal = total(CliRun.of("score", "-m", merged.toString(), "--text", TEXT));
    assertThat(mergedTotal).isCloseTo(withAdapter, within(1e-3));
    CliRun again =
        CliRun.of(
            "merge",
            "-m",
            model.toString(),
            "--adapters",
            adapters.toString(),
            "--out",
            merged.toString());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("not empty");
  }

  @Test
  void dartNeedsARole(@TempDir Path tmp) throws Exception {
    Path model = createTiny(tmp.resolve("tiny"));
    Path adapters = randomAdapter(model, tmp.resolve("adapters"), Method.DART);
    CliRun noRole =
        CliRun.of(
            "merge",
            "-m",
            model.toString(),
            "--adapters",
            adapters.toString(),
            "--out",
            tmp.resolve("m1").toString());
    assertThat(noRole.exit()).isNotZero();
    assertThat(noRole.err()).contains("--role");
    assertThat(tmp.resolve("m1")).doesNotExist();
    CliRun tool =
        CliRun.of(
            "merge",
            "-m",
            model.toString(),
            "--adapters",
            adapters.toString(),
            "--role",
            "TOOL",
            "--out",
            tmp.resolve("m2").toString());
    assertThat(tool.exit()).as(tool.err()).isZero();
    assertThat(tool.out()).contains("merged adapter tool");
    assertThat(Files.list(tmp.resolve("m2")).count()).isGreaterThan(2);
  }
}

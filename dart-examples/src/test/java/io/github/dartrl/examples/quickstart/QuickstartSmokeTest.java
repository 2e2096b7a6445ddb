package io.github.dartrl.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.examples.cli.CliRun;
import io.github.dartrl.grpo.metrics.MetricsLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole quickstart path on the small world, a d=32 model and two GRPO steps. */
class QuickstartSmokeTest {

  @Test
  void theSmokeRunWritesEveryResult(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("run");
    CliRun run =
        CliRun.smoke(
            "quickstart",
            out,
            "world/world.json",
            "index",
            "model-sft/config.json",
            "model-sft/model.safetensors",
            "model-sft/tokenizer.json",
            "adapters/dart.json",
            "adapters/reasoning/adapter_model.safetensors",
            "adapters/tool/adapter_config.json",
            "sft/demonstrations.md",
            "plots/sft_loss.png",
            "plots/grpo_reward.png",
            "summary.md");
    assertThat(run.out()).contains("test EM").contains("after 2 GRPO steps");
    assertThat(MetricsLog.read(out.resolve("grpo").resolve(MetricsLog.FILE_NAME))).hasSize(2);
    assertThat(MetricsLog.read(out.resolve("sft").resolve(MetricsLog.FILE_NAME))).isNotEmpty();
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("grpo_steps").asInt()).isEqualTo(2);
    for (String phase : new String[] {"em_before", "em_after"}) {
      assertThat(summary.get(phase).get("em").asDouble()).isBetween(0.0, 1.0);
      assertThat(summary.get(phase).get("count_by_source").size()).isPositive();
    }
    assertThat(Files.readString(out.resolve("summary.md")))
        .contains("| **all** | 16 |")
        .contains("onehop");

    // dart4j eval on the saved files reproduces the evaluation after GRPO
    Path evalOut = tmp.resolve("eval");
    CliRun eval = CliRun.of("eval", "@" + out.resolve("eval.args"), "--out", evalOut.toString());
    assertThat(eval.exit()).as(eval.err()).isZero();
    JsonNode reproduced = new ObjectMapper().readTree(evalOut.resolve("eval.json").toFile());
    JsonNode after = summary.get("em_after");
    assertThat(reproduced.get("questions").asInt()).isEqualTo(16);
    for (String k : new String[] {"em", "search_rate", "mean_turns", "truncated_rate"}) {
      assertThat(reproduced.get(k).asDouble()).as(k).isEqualTo(after.get(k).asDouble());
    }
    assertThat(reproduced.get("em_by_source")).isEqualTo(after.get("em_by_source"));
    // response by response, not only the rates (the smoke model rarely answers right)
    assertThat(Files.readAllLines(evalOut.resolve("results.jsonl")))
        .containsExactlyElementsOf(Files.readAllLines(out.resolve("eval-after.jsonl")));
    assertThat(Files.readString(out.resolve("prompt.txt"))).contains("{question}");
  }

  /** The three-adapter run's evaluation replays through eval with the world's tables. */
  @Test
  void evalReplaysASqlRunWithItsTables(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("run");
    CliRun run =
        CliRun.of(
            "quickstart",
            "--smoke",
            "--tools",
            "search,sql",
            "--grpo-steps",
            "1",
            "--eval-limit",
            "8",
            "--out",
            out.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(Files.readString(out.resolve("eval.args"))).contains("--sql-tables");
    Path evalOut = tmp.resolve("eval");
    CliRun eval = CliRun.of("eval", "@" + out.resolve("eval.args"), "--out", evalOut.toString());
    assertThat(eval.exit()).as(eval.err()).isZero();
    List<String> replayed = Files.readAllLines(evalOut.resolve("results.jsonl"));
    assertThat(replayed)
        .hasSize(8)
        .containsExactlyElementsOf(Files.readAllLines(out.resolve("eval-after.jsonl")));
  }

  @Test
  void aNonEmptyOutputDirectoryIsRefused(@TempDir Path tmp) throws Exception {
    Files.writeString(tmp.resolve("x"), "x");
    CliRun run = CliRun.of("quickstart", "--smoke", "--out", tmp.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("not empty");
  }
}

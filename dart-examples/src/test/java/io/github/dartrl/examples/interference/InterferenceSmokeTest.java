package io.github.dartrl.examples.interference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.examples.cli.CliRun;
import io.github.dartrl.examples.cli.DartCli;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.leas.attribution.Coefficient;
import io.github.dartrl.leas.attribution.CountTable;
import io.github.dartrl.leas.attribution.QuestionCounts;
import io.github.dartrl.leas.variant.CeaModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole interference path on the small world: a d=32 warm start, two GRPO steps per variant,
 * the six-variant attribution and the probe, through the command line.
 */
class InterferenceSmokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theSmokeRunWritesEveryResultAndEveryLambdaFollowsFromTheCounts(@TempDir Path tmp)
      throws Exception {
    Path out = tmp.resolve("run");
    CliRun run =
        CliRun.smoke(
            "interference",
            out,
            "model-sft/model.safetensors",
            "variants/reas/dart.json",
            "variants/tool/dart.json",
            "variants/unified/dart.json",
            "attribution/counts.jsonl",
            "attribution/attribution.json",
            "attribution/attribution.csv",
            "attribution/lambda23.png",
            "attribution/attribution_summary.md",
            "plots/grpo_reward.png",
            "plots/grpo_zero_std.png",
            "plots/sft_loss.png",
            "summary.md",
            "summary.json");
    assertThat(run.out()).contains("greedy EM: Base").contains("lambda23 < 0 on");
    // the three variants ran the same number of steps, each with its own loss mask
    for (String v : new String[] {"unified", "reas", "tool"}) {
      assertThat(MetricsLog.read(out.resolve("grpo-" + v).resolve(MetricsLog.FILE_NAME)))
          .as(v)
          .hasSize(2);
      assertThat(Files.readString(out.resolve("variants").resolve(v).resolve("dart.json")))
          .contains("LORA");
    }

    JsonNode a = JSON.readTree(out.resolve("attribution/attribution.json").toFile());
    CountTable counts = CountTable.read(out.resolve("attribution/counts.jsonl"));
    assertThat(counts.size()).isEqualTo(12);
    assertThat(a.get("questions_total").asInt()).isEqualTo(12);
    int kept = a.get("questions_kept").asInt();
    assertThat(kept).as("some variant answers some question right").isPositive();
    assertThat(kept + a.get("questions_filtered").asInt()).isEqualTo(12);
    for (Coefficient c : Coefficient.values()) {
      assertThat(a.get("lambda_stats").has(c.label())).as(c.label()).isTrue();
    }
    for (CeaModel m : CeaModel.values()) {
      assertThat(a.get("run").get("diagnostics").get(m.label()).get("samples").asInt())
          .as(m.label())
          .isEqualTo(12 * 4);
    }

    // every λ row: z from the reported counts by the stated smoothing, λ by the closed forms
    Map<String, QuestionCounts> byId =
        counts.questions().stream()
            .collect(Collectors.toMap(QuestionCounts::id, Function.identity()));
    JsonNode qs = a.get("questions");
    assertThat(qs).hasSize(kept);
    for (JsonNode q : qs) {
      QuestionCounts raw = byId.get(q.get("id").asText());
      double[] z = new double[CeaModel.values().length];
      boolean any = false;
      for (CeaModel m : CeaModel.values()) {
        int k = q.get("k").get(m.ordinal()).asInt();
        int n = q.get("n").get(m.ordinal()).asInt();
        assertThat(k).isEqualTo(raw.correct(m));
        assertThat(n).isEqualTo(4);
        any |= k > 0;
        z[m.ordinal()] = Math.log((k + 0.5) / (n - k + 0.5)); // add-half: (k+½)/(N+1)
        assertThat(q.get("z").get(m.ordinal()).asDouble()).isCloseTo(z[m.ordinal()], within(1e-9));
      }
      assertThat(any).as("kept questions have a correct sample").isTrue();
      double base = z[CeaModel.BASE.ordinal()];
      double reas = z[CeaModel.REAS.ordinal()];
      double tool = z[CeaModel.TOOL.ordinal()];
      double uni = z[CeaModel.UNIFIED.ordinal()];
      double hTool = z[CeaModel.H_TOOL.ordinal()];
      double hReas = z[CeaModel.H_REAS.ordinal()];
      double[] expected = {
        base, hTool - base, hReas - base, tool - hTool, reas - hReas, uni - tool - reas + base
      };
      for (Coefficient c : Coefficient.values()) {
        assertThat(q.get("lambda").get(c.ordinal()).asDouble())
            .as("%s of %s", c.label(), q.get("id").asText())
            .isCloseTo(expected[c.ordinal()], within(1e-9));
      }
    }

    String md = Files.readString(out.resolve("summary.md"));
    for (CeaModel m : CeaModel.values()) {
      assertThat(md).contains("| " + m.label() + " |");
    }
    assertThat(md).contains("λ23 < 0 (interference) on").contains("## Gradient angles");
    JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("attribution").get("questions_kept").asInt()).isEqualTo(kept);
    // the measured fraction against its identical-models null, in both summaries
    JsonNode nul = summary.at("/attribution/lambda23_null");
    assertThat(nul.get("replicates").asInt()).isEqualTo(a.at("/lambda23_null/replicates").asInt());
    assertThat(nul.get("p_value").asDouble()).isEqualTo(a.at("/lambda23_null/p_value").asDouble());
    assertThat(nul.get("measured").asDouble())
        .isEqualTo(a.at("/lambda_stats/lambda23/negativeFraction/estimate").asDouble());
    assertThat(md).contains("**λ23 < 0 against noise.**");
    assertThat(out.resolve("attribution/lambda23_null.csv")).exists();
    // each probe target either wrote its full report or the summary says why there is none
    for (ProbeTarget t : ProbeTarget.values()) {
      JsonNode p = summary.get("probes").get(t.label());
      assertThat(p).as(t.label()).isNotNull();
      if (p.has("error")) {
        assertThat(md).contains("| " + t.label() + " | – | – | no angles: ");
      } else {
        Path dir = out.resolve("probe").resolve(t.label());
        for (String f : new String[] {"probe.json", "probe_pairs.csv", "angles.png"}) {
          assertThat(dir.resolve(f)).as(t.label() + "/" + f).exists();
        }
        assertThat(p.get("mixed_groups").asInt()).isPositive();
        // the batch level on the same rollouts: its report, or why there is none
        if (p.has("batch")) {
          for (String f :
              new String[] {"batch_angles.jsonl", "batch_summary.json", "batch_angles.png"}) {
            assertThat(dir.resolve(f)).as(t.label() + "/" + f).exists();
          }
          assertThat(Files.readAllLines(dir.resolve("batch_angles.jsonl")))
              .hasSize(p.at("/batch/splits").asInt());
          assertThat(md).contains("Batch-split angles");
        } else {
          assertThat(p.get("batch_error").asText()).contains("at least 2 mixed-reward groups");
          assertThat(md).contains("| " + t.label() + " | – | – | no batch angles: ");
        }
      }
    }
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingRuns(@TempDir Path tmp) {
    CommandLine cli = DartCli.commandLine();
    StringWriter stderr = new StringWriter();
    cli.setErr(new PrintWriter(stderr));
    Path out = tmp.resolve("run");
    assertThat(cli.execute("interference", "--smoke", "--samples", "0", "--out", out.toString()))
        .isEqualTo(2);
    assertThat(stderr.toString()).contains("samples must be >= 1");
    assertThat(cli.execute("interference", "--smoke", "--probe-on", "middle", "--out", "x"))
        .isEqualTo(2);
    assertThat(stderr.toString()).contains("unknown probe target \"middle\"");
    assertThat(out).doesNotExist();
  }
}

package io.github.dartrl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyCheckpoint;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.Bm25Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code leas probe} and {@code leas attribution} through the real command line. */
class LeasCommandTest {
  @TempDir static Path tmp;
  static Path model;
  static Path data;
  static Path index;

  static CliRun run(String... args) {
    return CliRun.of(args);
  }

  static Path adapters(String name, long seed) {
    Path out = tmp.resolve(name);
    try (NDManager m = NDManager.newBaseManager("PyTorch");
        DecoderModel d = HfCheckpoint.load(model, m);
        TextTokenizer tok = TextTokenizer.load(model);
        Policy p = Policy.create(d, PolicyConfig.of(Method.LORA, 4).withSeed(seed), tok)) {
      PolicyCheckpoint.save(p, out);
    }
    return out;
  }

  @BeforeAll
  static void setUp() throws Exception {
    model = tmp.resolve("tiny");
    TinyModels.create(
        model,
        List.of("who", "is", "the", "capital", "of", "paris", "france", "city"),
        new TinyModels.Size(32, 2, 4, 2, 64, 1024),
        4);
    data =
        Files.writeString(
            tmp.resolve("qa.jsonl"),
            "{\"id\": \"q1\", \"question\": \"the capital of france\", \"golden_answers\":"
                + " [\"paris\"]}\n");
    Path corpus =
        Files.writeString(
            tmp.resolve("corpus.jsonl"),
            "{\"id\": \"a\", \"contents\": \"\\\"Paris\\\"\\nparis is the capital of france\"}\n");
    index = tmp.resolve("index");
    new Bm25IndexBuilder(new Bm25Params(0.9, 0.4)).build(corpus, index);
    adapters("reas", 1);
    adapters("tool", 2);
    adapters("unified", 3);
  }

  static void writeCounts(Path file, int k) throws Exception {
    StringBuilder b = new StringBuilder();
    for (int q = 0; q < 3; q++) {
      b.append("{\"id\":\"q").append(q).append("\",\"question\":\"x\",\"k\":{");
      String[] models = {"Base", "Reas", "Tool", "Unified", "H_Tool", "H_Reas"};
      for (int m = 0; m < 6; m++) {
        b.append(m > 0 ? "," : "")
            .append('"')
            .append(models[m])
            .append("\":")
            .append((k * (m + q)) % 5);
      }
      b.append("},\"n\":{");
      for (int m = 0; m < 6; m++) {
        b.append(m > 0 ? "," : "").append('"').append(models[m]).append("\":4");
      }
      b.append("}}\n");
    }
    Files.writeString(file, b.toString());
  }

  @Test
  void attributionFromACountTable() throws Exception {
    Path counts = tmp.resolve("counts-ok.jsonl");
    writeCounts(counts, 1);
    Path out = tmp.resolve("report-ok");
    CliRun r =
        run(
            "leas",
            "attribution",
            "--counts",
            counts.toString(),
            "--out",
            out.toString(),
            "--bootstrap",
            "200",
            "--smoothing",
            "clip",
            "--null-replicates",
            "300");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("# CEA / LEAS attribution")
        .contains("| lambda23 |")
        .contains("**λ23 < 0 against noise.**")
        .contains("R = 300");
    JsonNode j = new ObjectMapper().readTree(out.resolve("attribution.json").toFile());
    assertThat(j.at("/lambda23_null/replicates").asInt()).isEqualTo(300);
    assertThat(j.at("/lambda23_null/p_value").asDouble()).isBetween(0.0, 1.0);
    assertThat(Files.readAllLines(out.resolve("lambda23_null.csv"))).hasSize(301);
    assertThat(j.get("questions_total").asInt()).isEqualTo(3);
    assertThat(j.at("/config/smoothing").asText()).isEqualTo("CLIP");
    assertThat(out.resolve("lambda23.png")).exists();
  }

  @Test
  void nothingToAttributeExitsWithAnErrorAndNoReport() throws Exception {
    Path counts = tmp.resolve("counts-zero.jsonl");
    writeCounts(counts, 0);
    Path out = tmp.resolve("report-zero");
    CliRun r = run("leas", "attribution", "--counts", counts.toString(), "--out", out.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("all 3 questions were filtered out");
    assertThat(out.resolve("attribution.json")).doesNotExist();
    assertThat(out.resolve("attribution_summary.md")).doesNotExist();
  }

  /**
   * The whole sampling path on a random model: the counts are always written; a report exists
   * exactly when some model answered something correctly (otherwise: the filter error).
   */
  @Test
  void attributionSamplesSixVariants() throws Exception {
    Path out = tmp.resolve("report-models");
    CliRun r =
        run(
            "leas", "attribution",
            "--base", model.toString(),
            "--reas", tmp.resolve("reas").toString(),
            "--tool", tmp.resolve("tool").toString(),
            "--unified", tmp.resolve("unified").toString(),
            "--data", data.toString(),
            "--index", index.toString(),
            "--samples", "2",
            "--max-turns", "1",
            "--turn-tokens", "8",
            "--obs-tokens", "40",
            "--bootstrap", "50",
            "--out", out.toString());
    List<String> counts = Files.readAllLines(out.resolve("counts.jsonl"));
    assertThat(counts).hasSize(1);
    JsonNode c = new ObjectMapper().readTree(counts.get(0));
    assertThat(c.at("/n/H_Tool").asInt()).isEqualTo(2);
    if (r.exit() == 0) {
      assertThat(out.resolve("attribution.json")).exists();
      assertThat(r.out()).contains("N = 2 samples per question and model, hybrids run as HANDOFF");
    } else {
      assertThat(r.err()).contains("filtered out");
      assertThat(out.resolve("attribution.json")).doesNotExist();
    }
  }

  /** {@code leas probe} of the whole tiny model on one question, one short turn. */
  private CliRun probeFull(Path out, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "leas", "probe",
                "-m", model.toString(),
                "--method", "full",
                "--data", data.toString(),
                "--index", index.toString(),
                "--group-size", "2",
                "--max-turns", "1",
                "--turn-tokens", "8",
                "--obs-tokens", "40",
                "--out", out.toString()));
    args.addAll(List.of(extra));
    return run(args.toArray(String[]::new));
  }

  @Test
  void probeOnARandomModelReportsOrExplainsWhyNot() {
    Path out = tmp.resolve("probe");
    CliRun r = probeFull(out);
    if (r.exit() == 0) {
      assertThat(out.resolve("probe.json")).exists();
      assertThat(r.out()).contains("# Gradient-angle probe");
    } else {
      assertThat(r.err()).containsAnyOf("no query had mixed rewards", "no trajectory");
      assertThat(out.resolve("probe.json")).doesNotExist();
    }
  }

  /**
   * The batch level on one question: at most one mixed-reward group, so either the whole probe has
   * nothing to measure, or the per-trajectory report is written and the batch level says why it
   * could not split; the command fails in both cases rather than pass for a result.
   */
  @Test
  void batchSplitsOfASingleGroupAreRefusedWithTheReason() {
    Path out = tmp.resolve("probe-batch");
    CliRun r = probeFull(out, "--batch-splits", "20");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .containsAnyOf(
            "no query had mixed rewards",
            "no trajectory",
            "batch-level angles not measured: the batch-level probe needs at least 2");
    assertThat(out.resolve("batch_summary.json")).doesNotExist();
    CliRun bad =
        run(
            "leas", "probe",
            "-m", model.toString(),
            "--data", data.toString(),
            "--index", index.toString(),
            "--batch-splits", "-1",
            "--out", tmp.resolve("probe-bad").toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--batch-splits must be in [0, 10000], got -1");
  }

  @Test
  void badInputsAreOneClearLine() throws Exception {
    // adapters of a wider model
    Path wide = tmp.resolve("wide");
    TinyModels.create(wide, List.of("who", "is"), new TinyModels.Size(64, 2, 4, 2, 64, 1024), 1);
    Path wideLora = tmp.resolve("wide-lora");
    try (NDManager m = NDManager.newBaseManager("PyTorch");
        DecoderModel d = HfCheckpoint.load(wide, m);
        TextTokenizer tok = TextTokenizer.load(wide);
        Policy p = Policy.create(d, PolicyConfig.of(Method.LORA, 4), tok)) {
      PolicyCheckpoint.save(p, wideLora);
    }
    CliRun mismatch =
        run(
            "leas", "attribution",
            "--base", model.toString(),
            "--reas", wideLora.toString(),
            "--tool", tmp.resolve("tool").toString(),
            "--unified", tmp.resolve("unified").toString(),
            "--data", data.toString(),
            "--index", index.toString(),
            "--out", tmp.resolve("x").toString());
    assertThat(mismatch.exit()).isEqualTo(1);
    assertThat(mismatch.err()).contains("Reas adapters in").contains("do not fit the base model");

    Path empty = Files.writeString(tmp.resolve("empty.jsonl"), "\n");
    CliRun noQuestions =
        run(
            "leas",
            "probe",
            "-m",
            model.toString(),
            "--data",
            empty.toString(),
            "--index",
            index.toString(),
            "--out",
            tmp.resolve("y").toString());
    assertThat(noQuestions.exit()).isEqualTo(1);
    assertThat(noQuestions.err()).contains("no examples");

    CliRun missing = run("leas", "attribution", "--out", tmp.resolve("z").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--base, --reas, --tool and --unified are required");

    CliRun badMode = run("leas", "attribution", "--counts", "c", "--hybrid", "both", "--out", "o");
    assertThat(badMode.exit()).isEqualTo(1);
  }
}

package io.github.dartrl.examples.compare;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.io.SafetensorsFile;
import io.github.dartrl.core.io.TensorInfo;
import io.github.dartrl.examples.cli.DartCli;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.metrics.StepMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole compare path on the small world, a d=32 model, one seed, two steps and all four
 * methods: files, table structure, the shared start, and which parameters each method trained.
 */
class CompareSmokeTest {
  private static final List<String> METHODS = List.of("DART", "LORA", "FULL", "TWO_AGENT");

  /** More than AdamW's weight decay alone moves a weight in two steps (lr 1e-4 × 0.01 × |w|). */
  private static final double TRAINED = 1e-5;

  @TempDir static Path tmp;
  static Path out;
  static String stdout;

  @BeforeAll
  static void runSmoke() {
    out = tmp.resolve("run");
    CommandLine cli = DartCli.commandLine();
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    cli.setOut(new PrintWriter(o));
    cli.setErr(new PrintWriter(e));
    int exit = cli.execute("compare", "--smoke", "--out", out.toString());
    assertThat(exit).as(e.toString()).isZero();
    stdout = o.toString();
  }

  @Test
  void writesEveryFileAndOneRunPerMethod() throws Exception {
    assertThat(stdout).contains("4 runs, 2 GRPO steps each");
    for (String f :
        List.of(
            "results.jsonl",
            "results.csv",
            "summary.md",
            "summary.json",
            "plots/em_by_method.png",
            "plots/reward_by_method.png",
            "seed-1/model-sft/model.safetensors",
            "seed-1/DART/adapters/dart.json",
            "seed-1/LORA/adapters/default/adapter_model.safetensors",
            "seed-1/FULL/model/model.safetensors",
            "seed-1/TWO_AGENT/reasoner/model.safetensors",
            "seed-1/TWO_AGENT/tool/config.json")) {
      assertThat(out.resolve(f)).as(f).exists();
    }
    assertThat(out.resolve("seed-1/probe")).doesNotExist();
    for (String m : METHODS) {
      assertThat(metrics(m)).as(m).hasSize(2);
    }
    assertThat(metrics("TWO_AGENT").get(0).values()).containsKey("tool_actor/grad_norm");
  }

  @Test
  void resultsHaveOneRowPerMethodAndDataSourceWithTheSharedWarmStart() throws Exception {
    List<String> lines = Files.readAllLines(out.resolve("results.csv"));
    assertThat(lines.get(0).split(",")).containsExactlyElementsOf(CompareReport.COLUMNS);
    List<String[]> rows = lines.subList(1, lines.size()).stream().map(l -> l.split(",")).toList();
    List<String> sources = rows.stream().map(r -> r[3]).distinct().toList();
    assertThat(sources).contains("onehop", "all").last().isEqualTo("all");
    assertThat(rows).hasSize(METHODS.size() * sources.size());
    for (String[] r : rows) {
      assertThat(r[7]).as("steps").isEqualTo("2");
      assertThat(Double.parseDouble(r[5])).isBetween(0.0, 1.0);
      assertThat(Double.parseDouble(r[6])).isBetween(0.0, 1.0);
    }
    // every method starts from the same warm start: EM before is one number per data_source
    Map<String, List<String>> before =
        rows.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r[3], Collectors.mapping(r -> r[5], Collectors.toList())));
    before.values().forEach(v -> assertThat(v).hasSize(METHODS.size()).containsOnly(v.get(0)));
    // the backbone methods run at a tenth of the adapters' learning rate
    Map<String, Double> lr =
        rows.stream()
            .collect(Collectors.toMap(r -> r[0], r -> Double.parseDouble(r[10]), (a, b) -> a));
    assertThat(lr.get("FULL"))
        .isCloseTo(lr.get("DART") * 0.1, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(lr.get("TWO_AGENT")).isEqualTo(lr.get("FULL"));
    assertThat(lr.get("LORA")).isEqualTo(lr.get("DART"));
    assertThat(Files.readAllLines(out.resolve("results.jsonl"))).hasSize(rows.size());
  }

  @Test
  void theSummaryTableHasAWarmStartRowAndOneRowPerMethod() throws Exception {
    List<String> md = Files.readAllLines(out.resolve("summary.md"));
    int header = indexOf(md, l -> l.startsWith("| method | steps | lr |"));
    assertThat(header).isPositive();
    int columns = cells(md.get(header)).length;
    assertThat(md.get(header)).contains("| all |").contains("onehop");
    assertThat(md.get(header + 2)).startsWith("| warm start (SFT) |");
    for (int i = 0; i < METHODS.size(); i++) {
      String row = md.get(header + 3 + i);
      assertThat(row).startsWith("| " + METHODS.get(i) + " | 2 |");
      assertThat(cells(row)).hasSize(columns);
    }
    assertThat(cells(md.get(header + 2))).hasSize(columns);
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("runs")).hasSize(4);
    assertThat(summary.get("steps").asInt()).isEqualTo(2);
  }

  @Test
  void identicalStartsSampleIdenticalFirstSteps() throws Exception {
    // B = 0 adapters and the bare backbone compute the same function, and every method uses the
    // same prompts and sampling seeds: step 1's rollouts are the same for DART, LORA and FULL
    StepMetrics dart = metrics("DART").get(0);
    for (String m : List.of("LORA", "FULL")) {
      StepMetrics s = metrics(m).get(0);
      assertThat(s.value("reward/mean")).as(m).isEqualTo(dart.value("reward/mean"));
      assertThat(s.value("response_length/mean"))
          .as(m)
          .isEqualTo(dart.value("response_length/mean"));
    }
  }

  @Test
  void eachMethodTrainedItsOwnParameters() throws Exception {
    for (String m : METHODS) {
      assertThat(metrics(m).stream().mapToDouble(s -> s.value("actor/grad_norm")).max().orElse(0))
          .as(m + " had a non-zero policy gradient (the format reward differs within groups)")
          .isPositive();
    }
    assertThat(
            maxAbs(
                out.resolve("seed-1/DART/adapters/reasoning/adapter_model.safetensors"), "lora_B"))
        .as("DART's reasoning adapter (B starts at 0)")
        .isPositive();
    assertThat(
            maxAbs(out.resolve("seed-1/LORA/adapters/default/adapter_model.safetensors"), "lora_B"))
        .as("LORA's adapter (B starts at 0)")
        .isPositive();
    Path warm = out.resolve("seed-1/model-sft/model.safetensors");
    assertThat(maxDiff(warm, out.resolve("seed-1/FULL/model/model.safetensors")))
        .as("FULL's backbone")
        .isGreaterThan(TRAINED);
    assertThat(maxDiff(warm, out.resolve("seed-1/TWO_AGENT/reasoner/model.safetensors")))
        .as("the 2-Agent reasoner")
        .isGreaterThan(TRAINED);
    double toolGrad =
        metrics("TWO_AGENT").stream()
            .mapToDouble(s -> s.value("tool_actor/grad_norm"))
            .max()
            .orElse(0);
    double toolDiff = maxDiff(warm, out.resolve("seed-1/TWO_AGENT/tool/model.safetensors"));
    if (toolGrad > 0) {
      assertThat(toolDiff).as("the 2-Agent tool model had a gradient").isGreaterThan(TRAINED);
    } else {
      assertThat(toolDiff).as("the 2-Agent tool model had no gradient").isLessThan(TRAINED);
    }
  }

  private static List<StepMetrics> metrics(String method) throws Exception {
    return MetricsLog.read(out.resolve("seed-1").resolve(method).resolve("grpo/metrics.jsonl"));
  }

  private static int indexOf(List<String> lines, Predicate<String> p) {
    for (int i = 0; i < lines.size(); i++) {
      if (p.test(lines.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private static String[] cells(String row) {
    return row.substring(1, row.length() - 1).split("\\|", -1);
  }

  private static float[] floats(SafetensorsFile f, String name) {
    FloatBuffer b = f.raw(name).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  private static double maxAbs(Path file, String nameContains) {
    double max = 0;
    try (SafetensorsFile f = SafetensorsFile.open(file)) {
      for (TensorInfo t : f.tensors()) {
        if (t.name().contains(nameContains)) {
          for (float v : floats(f, t.name())) {
            max = Math.max(max, Math.abs(v));
          }
        }
      }
    }
    return max;
  }

  private static double maxDiff(Path a, Path b) {
    double max = 0;
    try (SafetensorsFile fa = SafetensorsFile.open(a);
        SafetensorsFile fb = SafetensorsFile.open(b)) {
      assertThat(fb.tensors().stream().map(TensorInfo::name).sorted().toList())
          .isEqualTo(fa.tensors().stream().map(TensorInfo::name).sorted().toList());
      for (TensorInfo t : fa.tensors()) {
        float[] x = floats(fa, t.name());
        float[] y = floats(fb, t.name());
        assertThat(y.length).isEqualTo(x.length);
        for (int i = 0; i < x.length; i++) {
          max = Math.max(max, Math.abs(x[i] - y[i]));
        }
      }
    }
    return max;
  }

  @SuppressWarnings("unused")
  private static String join(float[] xs) {
    return Arrays.toString(xs);
  }
}

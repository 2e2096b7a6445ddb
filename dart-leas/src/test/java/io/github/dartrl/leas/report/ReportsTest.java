package io.github.dartrl.leas.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.leas.attribution.AttributionConfig;
import io.github.dartrl.leas.attribution.AttributionResult;
import io.github.dartrl.leas.attribution.AttributionRun;
import io.github.dartrl.leas.attribution.CountTable;
import io.github.dartrl.leas.attribution.InterferenceAttribution;
import io.github.dartrl.leas.attribution.QuestionCounts;
import io.github.dartrl.leas.attribution.SamplingStreams;
import io.github.dartrl.leas.attribution.VariantDiagnostics;
import io.github.dartrl.leas.probe.AnglePair;
import io.github.dartrl.leas.probe.PairKind;
import io.github.dartrl.leas.probe.ProbeConfig;
import io.github.dartrl.leas.probe.ProbeCounts;
import io.github.dartrl.leas.probe.ProbeResult;
import io.github.dartrl.leas.probe.ProbeStatistics;
import io.github.dartrl.leas.probe.QueryAngles;
import io.github.dartrl.leas.variant.CeaModel;
import io.github.dartrl.leas.variant.HybridMode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {
  @TempDir Path dir;

  static void png(Path p) throws Exception {
    assertThat(p).exists();
    BufferedImage image = ImageIO.read(p.toFile());
    assertThat(image).as("decodable PNG %s", p).isNotNull();
    assertThat(image.getWidth()).isEqualTo(Charts.WIDTH);
    assertThat(drawnPixels(image))
        .as("coloured pixels in the plot area of %s", p)
        .isGreaterThan(200);
  }

  /**
   * Pixels of a chart colour (clearly not white, grey or black: the background, grid, axes and
   * text) in the plot area, below the title and above the legend. A blank chart has none.
   */
  static int drawnPixels(BufferedImage image) {
    int n = 0;
    int w = image.getWidth();
    int h = image.getHeight();
    for (int y = h / 10; y < h * 8 / 10; y++) {
      for (int x = w / 10; x < w; x++) {
        int rgb = image.getRGB(x, y);
        int r = rgb >> 16 & 0xFF;
        int g = rgb >> 8 & 0xFF;
        int b = rgb & 0xFF;
        n += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60 ? 1 : 0;
      }
    }
    return n;
  }

  @Test
  void attributionReportHasEveryNumberAndChart() throws Exception {
    SplittableRandom rng = new SplittableRandom(2);
    List<QuestionCounts> qs = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      int[] k = new int[6];
      for (int m = 0; m < 6; m++) {
        k[m] = rng.nextInt(11);
      }
      qs.add(
          new QuestionCounts(
              "q" + i, "question, \"" + i + "\"", k, new int[] {10, 10, 10, 10, 10, 10}));
    }
    qs.add(new QuestionCounts("zero", "", new int[6], new int[] {10, 10, 10, 10, 10, 10}));
    AttributionResult r =
        InterferenceAttribution.analyze(
            new CountTable(qs), AttributionConfig.defaults().withBootstrap(300, 1));
    String md = AttributionReport.write(r, null, dir);
    for (String f : List.of("lambda23.png", "lambda12.png", "lambda13.png")) {
      png(dir.resolve(f));
    }
    JsonNode j = new ObjectMapper().readTree(dir.resolve("attribution.json").toFile());
    assertThat(j.get("questions_total").asInt()).isEqualTo(41);
    assertThat(j.get("questions_kept").asInt()).isEqualTo(r.keptQuestions());
    assertThat(j.get("questions").size()).isEqualTo(r.keptQuestions());
    assertThat(j.at("/lambda_stats/lambda23/negative").asInt()).isEqualTo(r.lambda23().negative());
    assertThat(j.at("/lambda_stats/lambda23/negativeFraction/lower").asDouble())
        .isEqualTo(r.lambda23().negativeFraction().lower());
    assertThat(j.at("/config/smoothing_formula").asText()).isEqualTo("(k+0.5)/(N+1)");
    assertThat(j.at("/design_inverse").size()).isEqualTo(6);
    List<String> csv = Files.readAllLines(dir.resolve("attribution.csv"));
    assertThat(csv).hasSize(1 + r.keptQuestions());
    assertThat(csv.get(0)).startsWith("id,question,k_Base").endsWith("lambda13,lambda23");
    assertThat(md)
        .contains("| lambda23 | " + r.lambda23().negative() + " | ")
        .contains("filtered: " + r.filteredQuestions());
    assertThat(Files.readString(dir.resolve("attribution_summary.md"))).isEqualTo(md);
    // the identical-models null: summary in JSON and Markdown, every replicate in the CSV
    var nul = r.lambda23Null();
    assertThat(j.at("/lambda23_null/replicates").asInt()).isEqualTo(nul.replicates());
    assertThat(j.at("/lambda23_null/null_mean").asDouble()).isEqualTo(nul.mean());
    assertThat(j.at("/lambda23_null/p_value").asDouble()).isEqualTo(nul.pValue());
    assertThat(j.at("/lambda23_null/measured").asDouble())
        .isEqualTo(r.lambda23().negativeFraction().estimate());
    assertThat(Files.readAllLines(dir.resolve("lambda23_null.csv"))).hasSize(1 + nul.replicates());
    assertThat(md)
        .contains("**λ23 < 0 against noise.**")
        .contains("mean " + Markdown.pct(nul.mean()))
        .contains("p = " + Markdown.p(nul.pValue()) + " (" + nul.atOrAbove() + " of ");

    // with the sampling run: its settings and per-variant diagnostics are reported too
    java.util.Map<CeaModel, VariantDiagnostics> diag = new java.util.EnumMap<>(CeaModel.class);
    for (CeaModel m : CeaModel.values()) {
      diag.put(m, new VariantDiagnostics(410, 0.5, 0.9, 1.25, 0.05, 0.125, 80));
    }
    AttributionRun run =
        new AttributionRun(
            new CountTable(qs), diag, HybridMode.HANDOFF, 10, 3, SamplingStreams.INDEPENDENT);
    String withRun = AttributionReport.write(r, run, dir.resolve("run"));
    assertThat(withRun)
        .contains("N = 10 samples per question and model, hybrids run as HANDOFF, seed 3")
        .contains(
            "| H_Tool | "
                + Markdown.pct(r.meanAccuracy().get(CeaModel.H_TOOL))
                + " | 90.0% | 1.25 | 5.0% | 12.5% |");
    JsonNode jr = new ObjectMapper().readTree(dir.resolve("run/attribution.json").toFile());
    assertThat(jr.at("/run/hybrid_mode").asText()).isEqualTo("HANDOFF");
    assertThat(jr.at("/run/diagnostics/H_Reas/searchesPerSample").asDouble()).isEqualTo(1.25);
  }

  @Test
  void probeReportHasEveryNumberAndChart() throws Exception {
    List<AnglePair> pairs = new ArrayList<>();
    List<QueryAngles> queries = new ArrayList<>();
    SplittableRandom rng = new SplittableRandom(4);
    for (int q = 0; q < 5; q++) {
      double inter = 0;
      double same = 0;
      for (int i = 0; i < 4; i++) {
        double d = 80 + 10 * rng.nextDouble();
        inter += d / 4;
        pairs.add(
            new AnglePair(
                q, PairKind.INTER_ROLE, i, i, Math.cos(Math.toRadians(d)), d, new double[] {d, d}));
        double s = 20 + 10 * rng.nextDouble();
        same += s / 4;
        pairs.add(
            new AnglePair(
                q,
                PairKind.SAME_REASONING,
                i,
                i + 1,
                Math.cos(Math.toRadians(s)),
                s,
                new double[] {s, Double.NaN}));
      }
      queries.add(new QueryAngles(q, "q" + q, 0.5, 4, inter, same, Double.NaN, same));
    }
    ProbeResult r =
        ProbeStatistics.summarize(
            ProbeConfig.defaults(),
            "LORA",
            List.of("layer.0", "layer.1"),
            1234,
            new ProbeCounts(6, 5, 1, 20, 0, 0, 0),
            queries,
            pairs);
    String md = ProbeReport.write(r, dir);
    png(dir.resolve("angles.png"));
    png(dir.resolve("angles_by_layer.png"));
    JsonNode j = new ObjectMapper().readTree(dir.resolve("probe.json").toFile());
    assertThat(j.at("/summaries/inter_role/n").asInt()).isEqualTo(20);
    assertThat(j.at("/summaries/same_tool/n").asInt()).isZero();
    assertThat(j.at("/wilcoxon/inter_role_vs_same_reasoning/n").asInt()).isEqualTo(5);
    assertThat(j.at("/wilcoxon/inter_role_vs_same_tool/n").asInt()).isZero();
    assertThat(j.at("/layers/1/sameReasoning/n").asInt()).as("NaN layer angles left out").isZero();
    assertThat(j.at("/counts/uniformGroups").asInt()).isEqualTo(1);
    List<String> csv = Files.readAllLines(dir.resolve("probe_pairs.csv"));
    assertThat(csv).hasSize(41);
    assertThat(csv.get(0))
        .isEqualTo("query,kind,first,second,cosine,degrees,degrees_layer.0,degrees_layer.1");
    assertThat(Files.readAllLines(dir.resolve("probe_layers.csv"))).hasSize(1 + 2 * 3);
    assertThat(md).contains("| reasoning vs tool, same trajectory | 20 |");
    // all five queries have inter-role > same-role: W+ = 15, z = (15 − 7.5)/√13.75
    assertThat(md).contains("| inter-role vs reasoning-vs-reasoning | 5 | 15.00 | 2.02 |");
  }

  /**
   * The null's summary in attribution.json and interference.json: exact keys, order and values
   * (docs/leas.md quotes them).
   */
  @Test
  void nullSummaryKeepsItsKeysAndOrder() throws Exception {
    var nul =
        new io.github.dartrl.leas.attribution.IdenticalModelsNull.Result(
            200,
            7L,
            0.95,
            "pooled",
            0.125,
            0.5,
            0.25,
            0.0625,
            0.75,
            0.375,
            0.5,
            0.3125,
            3,
            0.015,
            new double[] {0.1, 0.2});
    assertThat(new ObjectMapper().writeValueAsString(AttributionReport.nullJson(nul)))
        .isEqualTo(
            "{\"description\":\"fraction lambda23 < 0 if Base, Reas, Tool, Unified and the"
                + " hybrids were one model: per kept question six Binomial(N_m, p) draws at its"
                + " pooled rate p, redrawn until one is positive (the keep filter), same"
                + " smoothing; p_value = share of replicates >= measured\","
                + "\"pooling\":\"pooled\",\"replicates\":200,\"seed\":7,\"level\":0.95,"
                + "\"null_mean\":0.125,\"null_std\":0.5,\"null_mean_standard_error\":0.25,"
                + "\"null_lower\":0.0625,\"null_upper\":0.75,\"null_mean_zero\":0.375,"
                + "\"null_mean_positive\":0.5,\"measured\":0.3125,"
                + "\"replicates_at_or_above\":3,\"p_value\":0.015}");
  }
}

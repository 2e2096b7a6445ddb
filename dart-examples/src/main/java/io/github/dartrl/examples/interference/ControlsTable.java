package io.github.dartrl.examples.interference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.examples.harness.MarkdownTable;
import io.github.dartrl.leas.attribution.Lambda23Reading;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * LEAS's controls side by side: finished {@code interference} runs (the default world as the
 * negative control, the conflict world as the positive one), one row per run with the measured
 * fraction of λ23 &lt; 0 against the identical-models null, and one row per probed target with the
 * batch-split angles. It reads each run's {@code summary.json}, so it can be re-made from kept raw
 * outputs at any time.
 *
 * <p>The readings are fixed rules ({@link Lambda23Reading}), stated in the table's text:
 * interference is <em>detected</em> when the measured fraction's bootstrap CI lies above the null's
 * mean and fewer than 5% of the null replicates reach the measured fraction; <em>below the
 * null</em> when the CI lies under the null's mean; otherwise the run is consistent with no
 * interaction. Inter-role angles are <em>larger</em> than same-role ones when at least 95% of the
 * splits say so and the (optimistic) Wilcoxon p is below 0.05; <em>obtuse</em> when even their 5th
 * percentile exceeds 90°.
 */
public final class ControlsTable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The summary file an interference run writes. */
  public static final String SUMMARY = "summary.json";

  /**
   * One finished run.
   *
   * @param name its label in the tables (e.g. the world)
   * @param dir the run's directory, holding {@value #SUMMARY}
   */
  public record Run(String name, Path dir) {
    public Run {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(dir, "dir");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a run needs a name");
      }
    }

    /**
     * Parses {@code NAME=DIR}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Run parse(String text) {
      int eq = text.indexOf('=');
      if (eq <= 0 || eq == text.length() - 1) {
        throw new IllegalArgumentException(
            "expected NAME=DIR (e.g. conflict=runs/leas-controls/conflict), got '" + text + "'");
      }
      return new Run(text.substring(0, eq), Path.of(text.substring(eq + 1)));
    }
  }

  private ControlsTable() {}

  /**
   * The two tables for {@code runs}, in their order.
   *
   * @throws IllegalArgumentException if {@code runs} is empty, or a summary is missing, is not JSON
   *     or lacks a field the tables need (the message names the file and the field)
   * @throws IOException if a summary cannot be read
   */
  public static String markdown(List<Run> runs) throws IOException {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no interference runs to put side by side");
    }
    List<Summary> summaries = new ArrayList<>();
    for (Run r : runs) {
      summaries.add(Summary.read(r));
    }
    StringBuilder b = new StringBuilder();
    b.append(
        "λ23 < 0 (interference) per run: the measured fraction of kept questions with its 95%"
            + " percentile-bootstrap CI, against the identical-models null (the six variants"
            + " redrawn as one model at each question's pooled rate; its mean and central 95%"
            + " interval) and the share p of null replicates at or above the measured fraction."
            + " Reading: *detected* if the CI lies above the null's mean and p < 0.05; *below the"
            + " null* if the CI lies under it; otherwise *consistent with the null*. The null"
            + " assumes that the variants sample independently: for counts sampled with common"
            + " random numbers (every run before that option existed) it does not apply. The sign"
            + " test (non-zero λ23: negatives vs positives, exact binomial) does not depend on"
            + " that.\n\n");
    MarkdownTable lambda =
        MarkdownTable.labelled("run", "Base greedy EM", "kept / sampled")
            .left("streams", "λ23 < 0 [95% CI]", "null mean [95%]")
            .right("p")
            .left("sign test < 0 : > 0", "reading");
    for (Summary s : summaries) {
      s.lambdaRow(lambda);
    }
    b.append(lambda).append('\n');
    b.append(
        "Batch-split angles per run and probe target: median [p05, p95] over the random half"
            + " splits; *inter > same* is the share of splits whose inter-role angle exceeds the"
            + " mean same-role angle (Wilcoxon p over splits, optimistic: the splits share their"
            + " groups). Reading: *larger* if that share is at least 95% and p < 0.05; *obtuse*"
            + " if the inter-role p05 exceeds 90°.\n\n");
    MarkdownTable angles =
        new MarkdownTable()
            .left("run", "target")
            .right("groups")
            .left("inter-role", "same-role reasoning", "same-role tool")
            .right("inter > same", "p")
            .left("reading");
    for (Summary s : summaries) {
      s.angleRows(angles);
    }
    b.append(angles);
    return b.toString();
  }

  /** One run's summary.json, with the field reads that name what is missing. */
  private record Summary(Run run, Path file, JsonNode root) {
    static Summary read(Run run) throws IOException {
      Path file = run.dir().resolve(SUMMARY);
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            run.name()
                + ": "
                + file
                + " does not exist: expected the summary of a finished `dart4j interference` run");
      }
      JsonNode root;
      try {
        root = JSON.readTree(file.toFile());
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            file
                + ": not JSON (line "
                + e.getLocation().getLineNr()
                + "): "
                + e.getOriginalMessage(),
            e);
      }
      if (root == null || !"dart4j-interference".equals(root.path("kind").asText())) {
        throw new IllegalArgumentException(
            file + ": field kind is not \"dart4j-interference\": not an interference summary");
      }
      return new Summary(run, file, root);
    }

    void lambdaRow(MarkdownTable t) {
      JsonNode base = root.path("variants").path("Base").path("greedy_em");
      String em = base.isNumber() ? f("%.3f", base.asDouble()) : "–";
      JsonNode at = root.path("attribution");
      // runs made before the option sampled every variant with common random numbers
      String streams = at.path("streams").asText("COMMON").toLowerCase(Locale.ROOT);
      if (!at.has("lambda23")) {
        String why = at.path("error").asText("no attribution in " + file);
        String sampled = at.path("questions_sampled").asText("–");
        t.row(run.name(), em, "– / " + sampled, streams, "–", "–", "–", "–", "no λ23: " + why);
        return;
      }
      double measured = number(at, "lambda23.estimate");
      double lower = number(at, "lambda23.lower");
      double upper = number(at, "lambda23.upper");
      double mean = number(at, "lambda23_null.null_mean");
      double nullLower = number(at, "lambda23_null.null_lower");
      double nullUpper = number(at, "lambda23_null.null_upper");
      double p = number(at, "lambda23_null.p_value");
      String reading =
          !streams.equals("independent")
              ? "null not applicable (" + streams + " streams)"
              : Lambda23Reading.of(lower, upper, mean, p).label();
      String sign = "–";
      if (at.has("lambda23_sign")) {
        // no non-zero λ23 leaves the p-value NaN, which JSON holds as the string "NaN"
        JsonNode signP = at.path("lambda23_sign").path("pValue");
        sign =
            f(
                "%d : %d, p %s",
                (long) number(at, "lambda23_sign.negative"),
                (long) number(at, "lambda23_sign.positive"),
                signP.isNumber() ? f("%.3g", signP.asDouble()) : "–");
      }
      t.row(
          run.name(),
          em,
          f("%d / %d", (long) number(at, "questions_kept"), (long) number(at, "questions_sampled")),
          streams,
          f("%.1f%% [%.1f%%, %.1f%%]", 100 * measured, 100 * lower, 100 * upper),
          f("%.1f%% [%.1f%%, %.1f%%]", 100 * mean, 100 * nullLower, 100 * nullUpper),
          p < 1e-3 ? "< 0.001" : f("%.3f", p),
          sign,
          reading);
    }

    void angleRows(MarkdownTable t) {
      JsonNode probes = root.path("probes");
      if (!probes.isObject() || probes.isEmpty()) {
        t.row(run.name(), "–", "–", "no probe target in " + file, "", "", "", "", "");
        return;
      }
      for (Map.Entry<String, JsonNode> e : probes.properties()) {
        JsonNode batch = e.getValue().path("batch");
        if (!batch.isObject()) {
          String why =
              e.getValue().path("batch_error").asText(e.getValue().path("error").asText("?"));
          t.row(run.name(), e.getKey(), "–", "no batch angles: " + why, "", "", "", "", "");
          continue;
        }
        String prefix = "probes." + e.getKey() + ".batch.";
        double share = number(batch, "inter_role_vs_same_role.fractionGreater", prefix);
        double p = number(batch, "inter_role_vs_same_role.pValue", prefix);
        double interP05 = number(batch, "inter_role.p05", prefix);
        List<String> reading = new ArrayList<>();
        reading.add(share >= 0.95 && p < 0.05 ? "larger" : "not larger");
        if (interP05 > 90) {
          reading.add("obtuse");
        }
        t.row(
            run.name(),
            e.getKey(),
            (long) number(batch, "groups", prefix),
            range(batch, "inter_role", prefix),
            range(batch, "same_reasoning", prefix),
            range(batch, "same_tool", prefix),
            f("%.0f%%", 100 * share),
            p < 1e-4 ? "< 1e-4" : f("%.3g", p),
            String.join(", ", reading));
      }
    }

    private String range(JsonNode batch, String kind, String prefix) {
      return f(
          "%.1f° [%.1f, %.1f]",
          number(batch, kind + ".median", prefix),
          number(batch, kind + ".p05", prefix),
          number(batch, kind + ".p95", prefix));
    }

    private double number(JsonNode node, String path) {
      return number(node, path, "attribution.");
    }

    /** The number at dotted {@code path} under {@code node}; the error names the full field. */
    private double number(JsonNode node, String path, String prefix) {
      JsonNode n = node;
      for (String part : path.split("\\.")) {
        n = n.path(part);
      }
      if (!n.isNumber()) {
        throw new IllegalArgumentException(
            file + ": field " + prefix + path + " is missing or not a number (found " + n + ")");
      }
      return n.asDouble();
    }
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

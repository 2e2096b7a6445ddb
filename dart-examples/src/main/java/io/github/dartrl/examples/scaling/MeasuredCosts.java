package io.github.dartrl.examples.scaling;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes measured per-step costs: {@code costs.jsonl} (one JSON object per step, written
 * by SparkCheck) or the text that {@code scripts/spark-cluster.sh} prints (its committed logs
 * predate {@code costs.jsonl}).
 */
public final class MeasuredCosts {
  /** A line also holds the run's fields, which {@link MeasuredStep} does not. */
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** {@link MeasuredStep}'s JSON keys: each must be a number on every line. */
  private static final List<String> STEP_KEYS =
      JSON
          .getSerializationConfig()
          .introspect(JSON.constructType(MeasuredStep.class))
          .findProperties()
          .stream()
          .map(BeanPropertyDefinition::getName)
          .toList();

  private static final Pattern HEADER =
      Pattern.compile("^(\\d+) steps of (\\d+) prompts x G=(\\d+)");
  private static final Pattern STEP =
      Pattern.compile(
          "^step (\\d+): local ([\\d.]+) s, distributed ([\\d.]+) s \\(ratio [\\d.]+\\); step \\d+:"
              + " rollout ([\\d.]+) s, gradient ([\\d.]+) s, broadcast (\\d+) x ([\\d,]+) B"
              + " \\(fetch <= ([\\d.]+) s\\), trajectories ([\\d,]+) B in / ([\\d,]+) B out,"
              + " gradients ([\\d,]+) B, model loads \\{(.*)}\\s*$");

  private MeasuredCosts() {}

  /**
   * Reads {@code costs.jsonl} if the file name ends with .jsonl, else spark-cluster.sh's output.
   */
  public static MeasuredRun read(Path file) throws IOException {
    return file.getFileName().toString().endsWith(".jsonl") ? readJsonl(file) : readLog(file);
  }

  /**
   * Parses spark-cluster.sh's output: the line "N steps of P prompts x G=G" and one "step k: local
   * … model loads {…}" line per step (other lines are skipped). Partitions are not printed: they
   * are the gradient shares per update (gradient bytes / adapter bytes / (broadcasts − 1)).
   */
  public static MeasuredRun readLog(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    int prompts = -1;
    int groupSize = -1;
    int partitions = -1;
    List<MeasuredStep> steps = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      Matcher h = HEADER.matcher(line);
      if (h.find()) {
        prompts = Integer.parseInt(h.group(2));
        groupSize = Integer.parseInt(h.group(3));
        continue;
      }
      Matcher m = STEP.matcher(line);
      if (!m.find()) {
        continue;
      }
      MeasuredStep s =
          new MeasuredStep(
              Integer.parseInt(m.group(1)),
              Double.parseDouble(m.group(2)),
              Double.parseDouble(m.group(3)),
              Double.parseDouble(m.group(4)),
              Double.parseDouble(m.group(5)),
              Integer.parseInt(m.group(6)),
              number(m.group(7)),
              Double.parseDouble(m.group(8)),
              number(m.group(9)),
              number(m.group(10)),
              number(m.group(11)),
              slowestLoad(m.group(12)));
      int updates = s.broadcasts() - 1;
      if (updates < 1 || s.bytesPerBroadcast() <= 0) {
        throw new IOException(
            file + ":" + (i + 1) + ": expected a rollout and at least one gradient broadcast");
      }
      partitions = (int) (s.gradientBytes() / s.bytesPerBroadcast() / updates);
      steps.add(s);
    }
    if (prompts < 0 || steps.isEmpty()) {
      throw new IOException(
          file
              + ": expected spark-cluster.sh output (a line 'N steps of P prompts x G=G' and"
              + " 'step k: local … model loads {…}' lines)");
    }
    return new MeasuredRun(prompts, groupSize, partitions, steps);
  }

  /** Reads {@code costs.jsonl} as {@link #writeJsonl} writes it. */
  public static MeasuredRun readJsonl(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<MeasuredStep> steps = new ArrayList<>();
    int prompts = -1;
    int groupSize = -1;
    int partitions = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode n = JSON.readTree(lines.get(i));
      String where = file + ":" + (i + 1);
      prompts = field(n, "prompts", where).asInt();
      groupSize = field(n, "group_size", where).asInt();
      partitions = field(n, "partitions", where).asInt();
      for (String key : STEP_KEYS) {
        field(n, key, where);
      }
      steps.add(JSON.treeToValue(n, MeasuredStep.class));
    }
    if (steps.isEmpty()) {
      throw new IOException(file + ": no steps");
    }
    return new MeasuredRun(prompts, groupSize, partitions, steps);
  }

  /** Writes one JSON object per step (atomically). */
  public static void writeJsonl(MeasuredRun run, Path file) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (MeasuredStep s : run.steps()) {
      ObjectNode n = JSON.createObjectNode();
      n.put("step", s.step()); // the step first, then the run's shape, then its costs
      n.put("prompts", run.prompts());
      n.put("group_size", run.groupSize());
      n.put("partitions", run.partitions());
      n.setAll((ObjectNode) JSON.valueToTree(s));
      sb.append(JSON.writeValueAsString(n)).append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    AtomicFiles.write(file, out -> out.write(bytes));
  }

  private static JsonNode field(JsonNode n, String name, String where) throws IOException {
    JsonNode v = n.get(name);
    if (v == null || !v.isNumber()) {
      throw new IOException(where + ": field " + name + " missing or not a number");
    }
    return v;
  }

  private static long number(String grouped) {
    return Long.parseLong(grouped.replace(",", ""));
  }

  /** "0@29114=1.147976134, 1@29117=0.949483041" → the largest seconds (0 when empty). */
  private static double slowestLoad(String loads) {
    double max = 0;
    for (String part : loads.split(",")) {
      int eq = part.indexOf('=');
      if (eq > 0) {
        max = Math.max(max, Double.parseDouble(part.substring(eq + 1).trim()));
      }
    }
    return max;
  }
}

package io.github.dartrl.grpo.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.core.io.UntrustedJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics of a run: one JSON object per step appended to {@code metrics.jsonl} in the run
 * directory, and the same records kept in memory for plots and summaries.
 *
 * <p>Each line is {@code {"step": 12, "reward": 0.41, "em": 0.38, ...}}: {@code step} first, then
 * the metrics in the order they were put in the {@link StepMetrics}. Every line is flushed as it is
 * written, so a crashed run keeps all steps it finished and the file can be followed with {@code
 * tail -f}. JSON has no NaN or infinity: such values are written as {@code null} (and read back as
 * NaN), with a warning the first time each metric has one, since a NaN loss or KL usually means the
 * run has diverged.
 *
 * <p>Opening an existing run directory appends to its file and loads the steps already there; use
 * {@link #dropAfter} when resuming from a checkpoint older than the last logged step. Methods are
 * synchronized, so evaluation threads may log too.
 */
public final class MetricsLog implements AutoCloseable {

  /** The file name inside the run directory. */
  public static final String FILE_NAME = "metrics.jsonl";

  private static final Logger LOG = LoggerFactory.getLogger(MetricsLog.class);
  private static final ObjectMapper JSON =
      UntrustedJson.newMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final Path file;
  private final List<StepMetrics> steps;
  private final Set<String> warnedNonFinite = new HashSet<>();
  private Writer writer;

  private MetricsLog(Path file, List<StepMetrics> steps) throws IOException {
    this.file = file;
    this.steps = steps;
    this.writer = openAppend(file);
  }

  /**
   * Opens (creating if needed) {@code runDir/metrics.jsonl} for appending and loads the steps it
   * already holds. A last line cut off mid-write (no newline at its end and not a valid record: the
   * process died while writing it) is removed from the file with a warning.
   *
   * @param runDir the run directory, created if missing
   * @throws IOException when the file cannot be read or written, or a complete line is not a
   *     metrics record (the message names the file and line)
   */
  public static MetricsLog open(Path runDir) throws IOException {
    Files.createDirectories(runDir);
    Path file = runDir.resolve(FILE_NAME);
    if (Files.exists(file)) {
      repairLastLine(file);
      return new MetricsLog(file, new ArrayList<>(read(file)));
    }
    return new MetricsLog(file, new ArrayList<>());
  }

  /**
   * Reads a {@code metrics.jsonl} file. Blank lines are skipped; {@code null} values become NaN.
   *
   * @throws IOException when the file cannot be read or a line is not a metrics record
   */
  public static List<StepMetrics> read(Path file) throws IOException {
    List<StepMetrics> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        out.add(parse(file, i + 1, lines.get(i)));
      }
    }
    return out;
  }

  /**
   * Appends one step to the file (flushed) and to memory.
   *
   * @throws UncheckedIOException when the file cannot be written: a run that cannot record its
   *     metrics should stop rather than train unobserved
   * @throws IllegalStateException after {@link #close}
   */
  public synchronized void log(StepMetrics metrics) {
    if (writer == null) {
      throw new IllegalStateException("metrics log " + file + " is closed");
    }
    try {
      writer.write(JSON.writeValueAsString(toJson(metrics)));
      writer.write('\n');
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
    steps.add(metrics);
  }

  /** Appends one step; see {@link #log(StepMetrics)}. */
  public void log(int step, Map<String, Double> values) {
    log(new StepMetrics(step, values));
  }

  /**
   * Forgets every step after {@code step}, in memory and in the file (a new file written, then
   * renamed over the old one, see {@link AtomicFiles}), so a run resumed from the checkpoint of
   * {@code step} does not log its later steps twice. Callers validate {@code step} first: it is the
   * trainer's restored step, known good.
   *
   * @return the number of steps dropped
   */
  public synchronized int dropAfter(int step) throws IOException {
    if (writer == null) {
      throw new IllegalStateException("metrics log " + file + " is closed");
    }
    if (step < 0) { // a bad checkpoint's step must not empty the file
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    int before = steps.size();
    steps.removeIf(m -> m.step() > step);
    int dropped = before - steps.size();
    if (dropped > 0) {
      writer.close();
      AtomicFiles.write(
          file,
          out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            for (StepMetrics m : steps) {
              w.write(JSON.writeValueAsString(toJson(m)));
              w.write('\n');
            }
            w.flush();
          });
      writer = openAppend(file);
      LOG.info("Dropped {} logged steps after step {} from {}", dropped, step, file);
    }
    return dropped;
  }

  /** The steps logged so far, including those loaded on open (a snapshot). */
  public synchronized List<StepMetrics> steps() {
    return List.copyOf(steps);
  }

  /** The {@code metrics.jsonl} file. */
  public Path file() {
    return file;
  }

  /** Closes the file; the steps stay readable. Closing twice is harmless. */
  @Override
  public synchronized void close() throws IOException {
    if (writer != null) {
      writer.close();
      writer = null;
    }
  }

  private ObjectNode toJson(StepMetrics metrics) {
    ObjectNode node = JSON.createObjectNode();
    node.put("step", metrics.step());
    metrics
        .values()
        .forEach(
            (k, v) -> {
              if (Double.isFinite(v)) {
                node.put(k, v);
              } else {
                node.putNull(k);
                if (warnedNonFinite.add(k)) {
                  LOG.warn(
                      "Metric {} is {} at step {}; written as null to {} (further non-finite"
                          + " values of {} are not reported)",
                      k,
                      v,
                      metrics.step(),
                      file,
                      k);
                }
              }
            });
    return node;
  }

  private static StepMetrics parse(Path file, int line, String text) throws IOException {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IOException(file + ":" + line + ": malformed JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IOException(file + ":" + line + ": expected a JSON object");
    }
    JsonNode step = node.get("step");
    if (step == null
        || !step.canConvertToInt()
        || !step.isIntegralNumber()
        || step.intValue() < 0) {
      throw new IOException(file + ":" + line + ": field \"step\": expected an integer >= 0");
    }
    Map<String, Double> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (f.getKey().equals("step")) {
        continue;
      }
      JsonNode v = f.getValue();
      if (v.isNull()) {
        values.put(f.getKey(), Double.NaN);
      } else if (v.isNumber()) {
        values.put(f.getKey(), v.doubleValue());
      } else {
        throw new IOException(
            file + ":" + line + ": field \"" + f.getKey() + "\": expected a number or null");
      }
    }
    return new StepMetrics(step.intValue(), values);
  }

  /**
   * Makes the file end with a newline: a last line without one is either a record someone wrote
   * without the newline (kept, newline added) or the remains of an interrupted write (removed).
   */
  private static void repairLastLine(Path file) throws IOException {
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = ch.size();
      long keep = size;
      ByteBuffer one = ByteBuffer.allocate(1);
      // Scan back for the last newline; metrics lines are short.
      while (keep > 0) {
        one.clear();
        ch.read(one, keep - 1);
        if (one.get(0) == '\n') {
          break;
        }
        keep--;
      }
      if (keep == size) {
        return;
      }
      ByteBuffer tail = ByteBuffer.allocate(Math.toIntExact(size - keep));
      ch.read(tail, keep);
      String text = new String(tail.array(), StandardCharsets.UTF_8);
      if (isRecord(text)) {
        ch.write(ByteBuffer.wrap(new byte[] {'\n'}), size);
      } else {
        LOG.warn(
            "{} ends with a partial line ({} bytes, from an interrupted write); removing it",
            file,
            size - keep);
        ch.truncate(keep);
      }
    }
  }

  private static boolean isRecord(String text) {
    try {
      parse(Path.of(FILE_NAME), 1, text);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Writer openAppend(Path file) throws IOException {
    return new BufferedWriter(
        new OutputStreamWriter(
            Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND),
            StandardCharsets.UTF_8));
  }
}

package io.github.dartrl.examples.bench;

import io.github.dartrl.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rows of {@link MemoryBench} in its output directory, each saved as soon as its scenario ends,
 * so a run stopped midway keeps every finished row and a rerun with the same directory skips them.
 * Three files, each replaced atomically after every row: {@value #JSONL} (one JSON object per row,
 * the record), {@value #CSV} and {@value #TABLE} (the Markdown table, generated from the rows).
 *
 * <p>The directory must be empty, new, or one the bench made (it carries {@link #MARKER}): nothing
 * the bench did not create is overwritten.
 */
final class MemoryResults {
  static final String MARKER = ".dart4j-memory-bench";
  static final String JSONL = "memory-rows.jsonl";
  static final String CSV = "memory-rows.csv";
  static final String TABLE = "memory-table.md";

  private final Path dir;
  private final List<MemoryRow> rows;

  private MemoryResults(Path dir, List<MemoryRow> rows) {
    this.dir = dir;
    this.rows = rows;
  }

  /**
   * Opens (creating) an output directory and reads its rows.
   *
   * @throws IllegalArgumentException if it is not empty and was not made by the bench
   * @throws IOException if a stored row cannot be read (naming the file and line)
   */
  static MemoryResults open(Path dir, String option) throws IOException {
    claim(dir, option);
    List<MemoryRow> rows = new ArrayList<>();
    Path f = dir.resolve(JSONL);
    if (Files.exists(f)) {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        try {
          rows.add(MemoryRow.fromJson(lines.get(i)));
        } catch (IOException | IllegalArgumentException e) {
          throw new IOException(f + ":" + (i + 1) + ": not a memory bench row: " + e.getMessage());
        }
      }
    }
    return new MemoryResults(dir, rows);
  }

  /**
   * Makes {@code dir} the bench's: creates it, or accepts it if empty or already marked.
   *
   * @throws IllegalArgumentException for a non-empty directory without the marker
   */
  static void claim(Path dir, String option) throws IOException {
    if (Files.isDirectory(dir)) {
      try (var entries = Files.list(dir)) {
        if (entries.findAny().isPresent() && !Files.exists(dir.resolve(MARKER))) {
          throw new IllegalArgumentException(
              option + " " + dir + " is not empty and was not made by the memory bench: refused");
        }
      }
    } else if (Files.exists(dir)) {
      throw new IllegalArgumentException(option + " " + dir + " is a file, not a directory");
    }
    Files.createDirectories(dir);
    Path marker = dir.resolve(MARKER);
    if (!Files.exists(marker)) {
      Files.writeString(marker, "made by dart4j bench --memory\n");
    }
  }

  /**
   * The stored row of a scenario, if it was measured with the same settings.
   *
   * @throws IllegalArgumentException if it was measured with other settings (a resumed run must not
   *     mix them in one table)
   */
  Optional<MemoryRow> finished(String id, String settings) {
    for (MemoryRow r : rows) {
      if (r.id().equals(id)) {
        if (!r.settings().equals(settings)) {
          throw new IllegalArgumentException(
              "row "
                  + id
                  + " in "
                  + dir.resolve(JSONL)
                  + " was measured with '"
                  + r.settings()
                  + "', this run asks for '"
                  + settings
                  + "': use another output directory to measure with other settings");
        }
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The stored row with this id, or null. */
  MemoryRow get(String id) {
    return rows.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
  }

  List<MemoryRow> rows() {
    return List.copyOf(rows);
  }

  /** Adds a finished row and saves the three files (each atomically). */
  void add(MemoryRow row, String tableHeader) throws IOException {
    rows.add(row);
    StringBuilder jsonl = new StringBuilder();
    StringBuilder csv = new StringBuilder(MemoryRow.csvHeader()).append('\n');
    for (MemoryRow r : rows) {
      jsonl.append(r.toJson(get(r.reference()))).append('\n');
      csv.append(r.csv(get(r.reference()))).append('\n');
    }
    write(JSONL, jsonl.toString());
    write(CSV, csv.toString());
    write(TABLE, tableHeader + table());
  }

  /**
   * The Markdown table of every stored row, in {@code order} of ids where listed (others after),
   * with each ratio against its reference row as stored now.
   */
  String table() {
    StringBuilder sb = new StringBuilder();
    List<String> shapes = new ArrayList<>();
    for (MemoryRow r : rows) {
      if (!shapes.contains(r.shape())) {
        shapes.add(r.shape());
        sb.append(
            String.format(
                java.util.Locale.ROOT,
                "- %s: fp32 weight bytes %.2f GB%n",
                r.shape(),
                r.weightBytes() / 1e9));
      }
    }
    sb.append(
        "\n| shape | scenario | options | peak RSS GB | × fp32 weights | target | verdict |"
            + " seconds | time × reference | max abs Δ log-prob vs reference |\n");
    sb.append("|---|---|---|---:|---:|---|---|---:|---:|---:|\n");
    List<String> order = new ArrayList<>();
    for (boolean quick : new boolean[] {true, false}) {
      MemoryPlan.all(quick).forEach(s -> order.add(s.id()));
    }
    rows.stream()
        .sorted(
            java.util.Comparator.comparingInt(
                r -> order.contains(r.id()) ? order.indexOf(r.id()) : order.size()))
        .forEach(r -> sb.append(r.markdown(get(r.reference()))).append('\n'));
    sb.append("\nLargest resident size sampled in each phase of each scenario (every ")
        .append(PhaseSampler.PERIOD_MS)
        .append(" ms; the phase that sets the peak):\n\n");
    for (MemoryRow r : rows) {
      sb.append("- ").append(r.id()).append(": ").append(r.phaseSummary()).append('\n');
    }
    return sb.append('\n').toString();
  }

  private void write(String name, String text) throws IOException {
    AtomicFiles.write(dir.resolve(name), out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  Path dir() {
    return dir;
  }
}

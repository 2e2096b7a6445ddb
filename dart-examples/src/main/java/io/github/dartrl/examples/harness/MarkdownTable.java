package io.github.dartrl.examples.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A GitHub-flavoured Markdown table: the one table writer of every report (quickstart, compare,
 * interference, LEAS, benchmarks). Columns are declared once with their alignment, rows are added
 * as cells, and {@link #toString()} renders {@code | a | b |} lines under a {@code |---|---:|}
 * separator, so no report hand-builds pipes and separators again.
 *
 * <p>Cells are rendered with {@link String#valueOf(Object)}: formatting numbers is the caller's
 * choice (a report knows how many decimals a figure deserves). A {@code |} inside a cell is escaped
 * so it cannot split the cell; an empty cell renders as {@code | |}.
 */
public final class MarkdownTable {
  private final List<String> headers = new ArrayList<>();
  private final List<Boolean> right = new ArrayList<>();
  private final List<List<String>> rows = new ArrayList<>();

  /** An empty table; declare its columns with {@link #left} and {@link #right}. */
  public MarkdownTable() {}

  /**
   * A table whose first column is left-aligned (a label) and the others right-aligned (figures):
   * the shape of most report tables.
   */
  public static MarkdownTable labelled(String label, String... figures) {
    return new MarkdownTable().left(label).right(figures);
  }

  /** Adds left-aligned columns (text). */
  public MarkdownTable left(String... names) {
    return add(false, names);
  }

  /** Adds right-aligned columns (figures). */
  public MarkdownTable right(String... names) {
    return add(true, names);
  }

  private MarkdownTable add(boolean alignRight, String... names) {
    if (!rows.isEmpty()) {
      throw new IllegalStateException("columns must be declared before the first row");
    }
    for (String n : names) {
      headers.add(Objects.requireNonNull(n, "column name"));
      right.add(alignRight);
    }
    return this;
  }

  /** The number of columns. */
  public int columns() {
    return headers.size();
  }

  /**
   * Adds a row.
   *
   * @throws IllegalArgumentException when the number of cells is not the number of columns
   */
  public MarkdownTable row(Object... cells) {
    return row(List.of(cells));
  }

  /** Adds a row given as a list of cells (see {@link #row(Object...)}). */
  public MarkdownTable row(List<?> cells) {
    if (cells.size() != headers.size()) {
      throw new IllegalArgumentException(
          "expected " + headers.size() + " cells (" + headers + "), got " + cells.size());
    }
    List<String> r = new ArrayList<>(cells.size());
    for (Object c : cells) {
      r.add(String.valueOf(c).replace("|", "\\|").replace('\n', ' '));
    }
    rows.add(r);
    return this;
  }

  /** The table in Markdown, each line (the last too) ending in a newline. */
  @Override
  public String toString() {
    if (headers.isEmpty()) {
      throw new IllegalStateException("a table needs at least one column");
    }
    StringBuilder sb = new StringBuilder();
    line(sb, headers);
    sb.append('|');
    for (boolean r : right) {
      sb.append(r ? "---:|" : "---|");
    }
    sb.append('\n');
    for (List<String> r : rows) {
      line(sb, r);
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, List<String> cells) {
    sb.append('|');
    for (String c : cells) {
      sb.append(c.isEmpty() ? " |" : " " + c + " |");
    }
    sb.append('\n');
  }
}

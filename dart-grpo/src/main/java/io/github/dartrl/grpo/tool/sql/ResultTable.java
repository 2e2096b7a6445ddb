package io.github.dartrl.grpo.tool.sql;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Formats a query result as a compact text table: the header line of column labels, then one line
 * per row, values separated by {@link #SEPARATOR}:
 *
 * <pre>
 * name | population
 * gikror haven | 48000
 * </pre>
 *
 * <p>Values longer than {@link SqlLimits#maxCellChars()} are cut and end in {@code ...}; a line
 * break inside a value becomes a space (a row stays one line); {@code NULL} reads {@code null}. At
 * most {@link SqlLimits#maxRows()} rows are read; when the result has more, or the lines do not fit
 * {@code maxChars}, the table is cut at a row boundary and a last line says so.
 */
final class ResultTable {
  static final String NO_ROWS = "no rows";
  static final String SEPARATOR = " | ";

  private ResultTable() {}

  /**
   * The text of {@code rs} within {@code maxChars} characters.
   *
   * @param rs a result whose statement was limited to {@code limits.maxRows() + 1} rows
   */
  static String format(ResultSet rs, SqlLimits limits, int maxChars) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    int columns = meta.getColumnCount();
    List<String> cells = new ArrayList<>(columns);
    for (int c = 1; c <= columns; c++) {
      cells.add(cell(meta.getColumnLabel(c), limits));
    }
    String header = String.join(SEPARATOR, cells);
    List<String> lines = new ArrayList<>();
    boolean more = false;
    while (rs.next()) {
      if (lines.size() == limits.maxRows()) {
        more = true;
        break;
      }
      cells.clear();
      for (int c = 1; c <= columns; c++) {
        cells.add(cell(rs.getString(c), limits));
      }
      lines.add(String.join(SEPARATOR, cells));
    }
    if (lines.isEmpty()) {
      return fit(header + "\n" + NO_ROWS, maxChars);
    }
    StringBuilder out = new StringBuilder(fit(header, maxChars));
    int shown = 0;
    // Leave room for the note a cut table ends with.
    int budget = maxChars - note(lines.size(), true).length() - 1;
    for (String line : lines) {
      if (out.length() + 1 + line.length() > budget) {
        more = true;
        break;
      }
      out.append('\n').append(line);
      shown++;
    }
    if (more) {
      out.append('\n').append(note(shown, false));
    }
    return out.toString();
  }

  /** The last line of a cut table. */
  private static String note(int shown, boolean widest) {
    return "( first " + (widest ? 99_999 : shown) + " rows shown , more not shown )";
  }

  private static String cell(String value, SqlLimits limits) {
    if (value == null) {
      return "null";
    }
    String flat = value.replace('\r', ' ').replace('\n', ' ');
    return flat.length() <= limits.maxCellChars()
        ? flat
        : flat.substring(0, limits.maxCellChars()) + "...";
  }

  /** {@code text}, cut to {@code maxChars} characters. */
  static String fit(String text, int maxChars) {
    return text.length() <= maxChars ? text : text.substring(0, Math.max(0, maxChars - 3)) + "...";
  }
}

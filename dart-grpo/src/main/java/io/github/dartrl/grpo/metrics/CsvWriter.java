package io.github.dartrl.grpo.metrics;

import io.github.dartrl.core.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Writes a table as CSV (RFC 4180 quoting), for results tables.
 *
 * <p>A field is quoted when it contains a comma, a double quote, a line break, or starts or ends
 * with whitespace (which spreadsheet tools would otherwise trim); quotes inside are doubled. Cells
 * are written with {@code String.valueOf}, so doubles keep Java's round-trippable form ({@code
 * 0.41}, {@code 1.0E-4}, {@code NaN}); null is an empty field. Lines end with {@code \n}, not the
 * RFC's CRLF, which every CSV reader accepts and keeps diffs clean. UTF-8, no byte-order mark. The
 * file is written atomically.
 */
public final class CsvWriter {

  private CsvWriter() {}

  /**
   * Writes a header line and the rows.
   *
   * @param csv the output file (parent directories are created)
   * @param header the column names, at least one
   * @param rows the rows, each with exactly as many cells as the header
   * @throws IllegalArgumentException when the header is empty or a row has the wrong length (the
   *     message gives the 0-based row index)
   * @throws IOException when the file cannot be written; it is then unchanged
   */
  public static void write(Path csv, List<String> header, List<? extends List<?>> rows)
      throws IOException {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(rows, "rows");
    if (header.isEmpty()) {
      throw new IllegalArgumentException("a CSV table needs at least one column");
    }
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).size() != header.size()) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " has "
                + rows.get(i).size()
                + " cells but the header has "
                + header.size());
      }
    }
    AtomicFiles.write(
        csv,
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          writeLine(w, header);
          for (List<?> row : rows) {
            writeLine(w, row);
          }
          w.flush();
        });
  }

  /** One cell as a CSV field, quoted if needed. */
  public static String field(Object value) {
    String s = value == null ? "" : String.valueOf(value);
    boolean quote =
        !s.isEmpty()
            && (s.indexOf(',') >= 0
                || s.indexOf('"') >= 0
                || s.indexOf('\n') >= 0
                || s.indexOf('\r') >= 0
                || Character.isWhitespace(s.charAt(0))
                || Character.isWhitespace(s.charAt(s.length() - 1)));
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }

  private static void writeLine(Writer w, List<?> cells) throws IOException {
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        w.write(',');
      }
      w.write(field(cells.get(i)));
    }
    w.write('\n');
  }
}

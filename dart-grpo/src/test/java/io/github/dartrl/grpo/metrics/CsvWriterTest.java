package io.github.dartrl.grpo.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvWriterTest {

  @TempDir Path dir;

  @Test
  void escapesFieldsThatNeedIt() {
    assertThat(CsvWriter.field("plain")).isEqualTo("plain");
    assertThat(CsvWriter.field("a,b")).isEqualTo("\"a,b\"");
    assertThat(CsvWriter.field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(CsvWriter.field("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(CsvWriter.field("cr\r")).isEqualTo("\"cr\r\"");
    assertThat(CsvWriter.field(" padded")).isEqualTo("\" padded\"");
    assertThat(CsvWriter.field("padded\t")).isEqualTo("\"padded\t\"");
    assertThat(CsvWriter.field("ü — é")).isEqualTo("ü — é");
    assertThat(CsvWriter.field(null)).isEmpty();
    assertThat(CsvWriter.field("")).isEmpty();
    assertThat(CsvWriter.field(0.41)).isEqualTo("0.41");
    assertThat(CsvWriter.field(1e-4)).isEqualTo("1.0E-4");
    assertThat(CsvWriter.field(Double.NaN)).isEqualTo("NaN");
    assertThat(CsvWriter.field(42)).isEqualTo("42");
  }

  @Test
  void writesTheTable() throws IOException {
    Path csv = dir.resolve("results/table.csv");
    CsvWriter.write(
        csv,
        List.of("method", "em", "note"),
        List.of(
            List.of("DART", 0.41, "r=8, α=16"),
            Arrays.asList("LoRA", 0.38, null),
            List.of("FULL \"ref\"", 0.4, "multi\nline")));
    assertThat(Files.readString(csv, StandardCharsets.UTF_8))
        .isEqualTo(
            "method,em,note\n"
                + "DART,0.41,\"r=8, α=16\"\n"
                + "LoRA,0.38,\n"
                + "\"FULL \"\"ref\"\"\",0.4,\"multi\nline\"\n");
  }

  @Test
  void headerOnlyTable() throws IOException {
    Path csv = dir.resolve("empty.csv");
    CsvWriter.write(csv, List.of("a"), List.of());
    assertThat(Files.readString(csv)).isEqualTo("a\n");
  }

  @Test
  void rejectsRaggedRowsAndEmptyHeaders() {
    Path csv = dir.resolve("bad.csv");
    assertThatThrownBy(
            () -> CsvWriter.write(csv, List.of("a", "b"), List.of(List.of(1, 2), List.of(3))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1 has 1 cells but the header has 2");
    assertThatThrownBy(() -> CsvWriter.write(csv, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one column");
    assertThatThrownBy(() -> CsvWriter.write(csv, null, List.of()))
        .isInstanceOf(NullPointerException.class);
    assertThat(csv).doesNotExist();
  }
}

package io.github.dartrl.examples.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarkdownTableTest {

  @Test
  void rendersHeaderAlignmentAndRows() {
    String t =
        MarkdownTable.labelled("method", "EM")
            .left("note")
            .row("DART", "0.250", "")
            .row("LORA", 0.125, "a|b")
            .toString();
    assertThat(t)
        .isEqualTo(
            "| method | EM | note |\n"
                + "|---|---:|---|\n"
                + "| DART | 0.250 | |\n"
                + "| LORA | 0.125 | a\\|b |\n");
  }

  @Test
  void aRowOfTheWrongWidthIsRefusedNamingTheColumns() {
    MarkdownTable t = MarkdownTable.labelled("a", "b");
    assertThatThrownBy(() -> t.row(List.of("only one")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 2 cells ([a, b]), got 1");
  }

  @Test
  void columnsCannotBeAddedAfterRows() {
    MarkdownTable t = MarkdownTable.labelled("a").row("x");
    assertThatThrownBy(() -> t.right("b")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void phasesTableHasCpuColumnOnlyWhenGiven() {
    Map<String, Double> wall = new java.util.LinkedHashMap<>(Map.of("sft", 65.0));
    assertThat(Phases.table(wall, null).toString())
        .isEqualTo("| phase | wall time |\n|---|---:|\n| sft | 1m05s |\n");
    assertThat(Phases.table(wall, Map.of("sft", 130.0)).toString())
        .isEqualTo(
            "| phase | wall time | CPU time (all threads) |\n|---|---:|---:|\n"
                + "| sft | 1m05s | 2m10s |\n");
  }
}

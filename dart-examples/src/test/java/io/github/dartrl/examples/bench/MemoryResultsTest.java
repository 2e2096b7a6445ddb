package io.github.dartrl.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory bench's stored rows: saved per row, reused by a rerun, never over foreign files. */
class MemoryResultsTest {
  @TempDir Path tmp;

  private static MemoryRow row(String id, String ref, double seconds, float[] lp, String settings) {
    return new MemoryRow(
        id,
        "quick",
        MemoryScenario.Kind.GRPO,
        id.endsWith("ckpt"),
        id.contains("fp16") ? "fp16" : "fp32",
        1_000_000_000L,
        2.5e9,
        seconds,
        500,
        id.contains("fp16") ? 1.2 : 2.0,
        0,
        ref,
        lp,
        java.util.Map.of("rollout", 2.0e9),
        settings,
        "2026-12-07T17:00:00Z");
  }

  @Test
  void eachRowIsSavedAtOnceWithItsRatiosAndAReopenedDirectoryHasIt() throws Exception {
    Path out = tmp.resolve("out");
    MemoryResults r = MemoryResults.open(out, "--out");
    r.add(row("quick-grpo-fp32", "quick-grpo-fp32", 10, new float[] {-1f, -2f}, "s"), "# h\n");
    // a run stopped here keeps the first row, in all three files
    assertThat(Files.readAllLines(out.resolve(MemoryResults.JSONL))).hasSize(1);
    r.add(row("quick-grpo-fp16-ckpt", "quick-grpo-fp32", 15, new float[] {-1f, -2.5f}, "s"), "");
    List<String> lines = Files.readAllLines(out.resolve(MemoryResults.JSONL));
    assertThat(lines).hasSize(2);
    // the ratios against the reference row are in the line, computed when the row ended
    assertThat(lines.get(1))
        .contains("\"time_ratio\":1.5")
        .contains("\"lp_max_abs_diff\":0.5")
        .contains("\"verdict\":\"MISS\"")
        .contains("\"ratio\":2.5");
    assertThat(Files.readAllLines(out.resolve(MemoryResults.CSV)))
        .hasSize(3)
        .first()
        .asString()
        .startsWith("id,shape,scenario");
    assertThat(Files.readString(out.resolve(MemoryResults.TABLE), StandardCharsets.UTF_8))
        .contains(
            "| quick | GRPO step, 1 prompt × G = 5, 500 tokens each | fp16 + checkpointing |"
                + " 2.50 | 2.50 | ≤ 1.20× | MISS | 15.0 | 1.50 | 5.00e-01 |");
    MemoryResults again = MemoryResults.open(out, "--out");
    assertThat(again.finished("quick-grpo-fp16-ckpt", "s")).isPresent();
    assertThat(again.finished("quick-decode8-fp32", "s")).isEmpty();
    assertThat(again.get("quick-grpo-fp32").logProbs()).containsExactly(-1f, -2f);
  }

  @Test
  void aRowOfAReferenceMeasuredLaterFillsTheTableOfTheEarlierRow() throws Exception {
    MemoryResults r = MemoryResults.open(tmp.resolve("o"), "--out");
    r.add(row("quick-grpo-fp16-ckpt", "quick-grpo-fp32", 15, new float[] {-1f}, "s"), "");
    assertThat(Files.readString(tmp.resolve("o").resolve(MemoryResults.JSONL)))
        .contains("\"time_ratio\":null");
    r.add(row("quick-grpo-fp32", "quick-grpo-fp32", 5, new float[] {-1.25f}, "s"), "");
    assertThat(r.table()).contains("| 15.0 | 3.00 | 2.50e-01 |");
  }

  @Test
  void rowsMeasuredWithOtherSettingsAreNotReused() throws Exception {
    MemoryResults r = MemoryResults.open(tmp.resolve("o"), "--out");
    r.add(row("quick-grpo-fp32", "quick-grpo-fp32", 5, new float[0], "micro-batch 1"), "");
    assertThatThrownBy(() -> r.finished("quick-grpo-fp32", "micro-batch 2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("was measured with 'micro-batch 1'")
        .hasMessageContaining("another output directory");
  }

  @Test
  void aDirectoryTheBenchDidNotMakeIsRefusedAndLeftAlone() throws Exception {
    Path foreign = tmp.resolve("foreign");
    Files.createDirectories(foreign);
    Files.writeString(foreign.resolve(MemoryResults.JSONL), "mine\n");
    assertThatThrownBy(() -> MemoryResults.open(foreign, "--out"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--out " + foreign + " is not empty and was not made by the memory");
    assertThat(foreign.resolve(MemoryResults.JSONL)).hasContent("mine");
  }

  @Test
  void aDamagedRowFileNamesItsLine() throws Exception {
    Path out = tmp.resolve("o");
    MemoryResults.open(out, "--out");
    Files.writeString(out.resolve(MemoryResults.JSONL), "{\"id\":\"x\"}\n");
    assertThatThrownBy(() -> MemoryResults.open(out, "--out"))
        .hasMessageContaining(MemoryResults.JSONL + ":1: not a memory bench row");
  }

  @Test
  void scenariosAreSelectedByIdPatternsInPlanOrder() {
    assertThat(MemoryPlan.select(false, false, List.of("0.5b-grpo-*")).stream().map(s -> s.id()))
        .containsExactly("0.5b-grpo-fp32", "0.5b-grpo-fp32-ckpt", "0.5b-grpo-fp16-ckpt");
    assertThat(
            MemoryPlan.select(false, false, List.of("*fp16-ckpt", "0.5b-decode8-fp32")).stream()
                .map(s -> s.id()))
        .containsExactly("0.5b-decode8-fp32", "0.5b-grpo-fp16-ckpt", "1.5b-grpo-fp16-ckpt");
    assertThat(MemoryPlan.select(false, false, List.of())).hasSize(7);
    assertThat(MemoryPlan.select(false, true, List.of())).hasSize(9);
    assertThat(MemoryPlan.select(true, false, List.of())).hasSize(3);
    assertThatThrownBy(() -> MemoryPlan.select(false, false, List.of("0.5b-grpo")))
        .hasMessageContaining("matches no scenario")
        .hasMessageContaining("0.5b-grpo-fp32-ckpt");
  }
}

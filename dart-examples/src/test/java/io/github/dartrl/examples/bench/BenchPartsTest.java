package io.github.dartrl.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.model.ModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchPartsTest {
  // d=8, 2 layers, 2 heads of 4 / 1 KV head, MLP 16, vocab 10
  private static final ModelConfig C = ModelConfig.qwen2(10, 8, 2, 2, 1, 16, 32);

  @Test
  void matmulParamsCountEveryProjectionAndTheLmHead() {
    // per layer: q 8x8 + o 8x8 + k 8x4 + v 8x4 + 3 x 8x16 = 64+64+32+32+384 = 576; head 10x8
    assertThat(FlopCount.matmulParams(C)).isEqualTo(2 * 576 + 80);
  }

  @Test
  void stepFlopsFollowTheDocumentedMultipliers() {
    double mm = 2 * FlopCount.matmulParams(C);
    double att = 4.0 * 2 * 2 * 4 * 6; // 4 x L x H*D x S, S = seq = 6
    double tokens = 3 * 6;
    assertThat(FlopCount.step(C, FlopCount.Step.FORWARD, 3, 6, 0)).isEqualTo(tokens * (mm + att));
    assertThat(FlopCount.step(C, FlopCount.Step.ADAPTERS, 3, 6, 10))
        .isEqualTo(tokens * (2 * mm + 3 * att + 30));
    assertThat(FlopCount.step(C, FlopCount.Step.FULL, 3, 6, 0))
        .isEqualTo(tokens * (3 * mm + 3 * att));
  }

  @Test
  void targetsSayPassOrMissInTheirDirection() {
    assertThat(new Target("a", 1.05, 1.1, true, "").verdict()).isEqualTo("PASS");
    assertThat(new Target("a", 1.15, 1.1, true, "").verdict()).isEqualTo("MISS");
    assertThat(new Target("b", 6.5, 6, false, "").verdict()).isEqualTo("PASS");
    assertThat(new Target("b", Double.NaN, 6, false, "").met()).isFalse();
    assertThat(new Target("c", 0.5, 0.55, true, "why").row())
        .isEqualTo("| c | 0.50 | ≤ 0.55 | PASS | why |");
  }

  @Test
  void generatedSectionIsReplacedAndProseKept(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("b.md");
    Files.writeString(
        f,
        "# Title\nprose\n"
            + GeneratedSection.BEGIN
            + "\nold table\n"
            + GeneratedSection.END
            + "\nmore prose\n");
    GeneratedSection.write(f, "new table");
    assertThat(Files.readString(f))
        .isEqualTo(
            "# Title\nprose\n"
                + GeneratedSection.BEGIN
                + "\nnew table\n"
                + GeneratedSection.END
                + "\nmore prose\n");
    assertThat(dir.resolve(".b.md.tmp")).doesNotExist();
  }

  @Test
  void missingMarkersAreAnErrorAndTheFileIsUntouched(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("b.md");
    Files.writeString(f, "no markers\n");
    assertThatThrownBy(() -> GeneratedSection.write(f, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("b.md")
        .hasMessageContaining("BEGIN GENERATED");
    assertThat(Files.readString(f)).isEqualTo("no markers\n");
  }

  @Test
  void profileCountsTopLevelOpsOnly() throws Exception {
    String trace =
        "{\"traceEvents\":["
            + "{\"ph\":\"X\",\"name\":\"aten::linear\",\"ts\":0,\"dur\":10},"
            + "{\"ph\":\"X\",\"name\":\"aten::matmul\",\"ts\":1,\"dur\":8},"
            + "{\"ph\":\"X\",\"name\":\"aten::add\",\"ts\":20,\"dur\":5},"
            + "{\"ph\":\"i\",\"name\":\"marker\",\"ts\":22}]}";
    OpProfile p = OpProfile.parse(new ObjectMapper().readTree(trace));
    assertThat(p.ops()).isEqualTo(2);
    assertThat(p.insideMs()).isCloseTo(0.015, within(1e-12));
    assertThat(p.spanMs()).isCloseTo(0.025, within(1e-12));
  }
}

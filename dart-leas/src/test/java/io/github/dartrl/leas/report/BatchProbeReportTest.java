package io.github.dartrl.leas.report;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.leas.probe.BatchKind;
import io.github.dartrl.leas.probe.BatchProbeResult;
import io.github.dartrl.leas.probe.BatchSplitAngles;
import io.github.dartrl.leas.probe.BatchSplitConfig;
import io.github.dartrl.leas.probe.FlatGradient;
import io.github.dartrl.leas.probe.GroupRoleGradients;
import io.github.dartrl.leas.probe.ParameterGroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchProbeReportTest {
  @TempDir Path dir;

  @Test
  void batchReportHasEverySplitEveryNumberAndTheHistogram() throws Exception {
    BatchProbeResult r;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      Map<String, NDArray> params = new LinkedHashMap<>();
      params.put("model.layers.0.w", m.zeros(new Shape(6)));
      params.put("lm_head.w", m.zeros(new Shape(4)));
      ParameterGroups layout = ParameterGroups.of(params);
      Random rng = new Random(3);
      List<GroupRoleGradients> gs = new ArrayList<>();
      for (int g = 0; g < 6; g++) {
        gs.add(new GroupRoleGradients(g, "q" + g, random(layout, rng), random(layout, rng), 2, 1));
      }
      r = BatchSplitAngles.analyze(gs, "LORA", new BatchSplitConfig(25, 1, 18));
    }
    String md = BatchProbeReport.write(r, dir);
    for (String f : BatchProbeReport.FILES) {
      assertThat(dir.resolve(f)).exists();
    }
    ReportsTest.png(dir.resolve("batch_angles.png"));
    List<String> lines = Files.readAllLines(dir.resolve("batch_angles.jsonl"));
    assertThat(lines).hasSize(25);
    JsonNode first = new ObjectMapper().readTree(lines.get(0));
    assertThat(first.get("inter_role_a").asDouble()).isEqualTo(r.splits().get(0).interRoleA());
    assertThat(first.get("half_a").size()).isEqualTo(3);
    assertThat(first.at("/layers/other").size()).isEqualTo(4);
    List<String> csv = Files.readAllLines(dir.resolve("batch_angles.csv"));
    assertThat(csv).hasSize(26);
    assertThat(csv.get(0))
        .startsWith("split,half_a,half_b,same_reasoning")
        .endsWith("inter_role_b_other");
    JsonNode j = new ObjectMapper().readTree(dir.resolve("batch_summary.json").toFile());
    assertThat(j.at("/summaries/inter_role/median").asDouble())
        .isEqualTo(r.summaries().get(BatchKind.INTER_ROLE).median());
    assertThat(j.at("/paired/inter_role_vs_same_role/fractionGreater").asDouble())
        .isEqualTo(r.tests().get(BatchSplitAngles.VS_SAME_ROLE).fractionGreater());
    assertThat(j.at("/groups").asInt()).isEqualTo(6);
    // 6 groups: C(6, 3)/2 = 10 partitions at most
    assertThat(r.distinctSplits()).isBetween(2, 10);
    assertThat(j.at("/distinct_splits").asInt()).isEqualTo(r.distinctSplits());
    assertThat(md)
        .contains(
            "25 random splits (seed 1; "
                + r.distinctSplits()
                + " distinct) into two halves of 3 groups")
        .contains("not independent samples")
        .contains(Markdown.pct(r.tests().get(BatchSplitAngles.VS_SAME_ROLE).fractionGreater()));
    assertThat(Files.readString(dir.resolve("batch_summary.md"))).isEqualTo(md);
  }

  static FlatGradient random(ParameterGroups layout, Random rng) {
    float[][] v = new float[layout.groups()][];
    for (int g = 0; g < v.length; g++) {
      v[g] = new float[layout.size(g)];
      for (int i = 0; i < v[g].length; i++) {
        v[g][i] = (float) rng.nextGaussian();
      }
    }
    return FlatGradient.of(layout, v);
  }
}

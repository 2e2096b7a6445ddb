package io.github.dartrl.examples.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study report over run directories laid out as scripts/compare-study.sh lays them out. */
class CompareStudyTest {
  @TempDir Path tmp;

  /** A finished (or, without summary.md, unfinished) run directory with its outcomes. */
  private void run(Path dir, boolean finished, String method, long seed, int... em)
      throws Exception {
    Files.createDirectories(dir);
    List<QuestionOutcome> o = new ArrayList<>();
    for (int i = 0; i < em.length; i++) {
      o.add(
          new QuestionOutcome(seed, method, QuestionOutcome.AFTER, "q" + i, "onehop", em[i] == 1));
    }
    QuestionOutcome.append(dir.resolve(QuestionOutcome.FILE), o);
    Files.writeString(
        dir.resolve(CompareReport.RESULTS_JSONL),
        "{\"method\":\""
            + method
            + "\",\"seed\":"
            + seed
            + ",\"data_source\":\"all\",\"steps\":5,\"train_seconds\":12.5,\"peak_rss_mb\":300,"
            + "\"trainable_parameters\":100}\n");
    if (finished) {
      Files.writeString(dir.resolve(CompareReport.SUMMARY), "# done\n");
    }
  }

  @Test
  void poolsOnlyFinishedRunsAndWritesTheReport() throws Exception {
    Path study = tmp.resolve("study");
    run(study.resolve("seed-1/DART"), true, "DART", 1, 1, 1, 0, 0);
    run(study.resolve("seed-1/LORA"), true, "LORA", 1, 0, 1, 0, 0);
    // an interrupted retry of LORA with other outcomes: must not count
    run(study.resolve("seed-1/LORA.retry-2"), false, "LORA", 1, 1, 1, 1, 1);

    StudyStats.Result r = CompareStudy.run(study, tmp.resolve("report"));

    StudyStats.ArmEm lora =
        r.em().stream()
            .filter(e -> e.arm().equals("LORA") && e.source().equals(StudyStats.ALL))
            .findFirst()
            .orElseThrow();
    assertThat(lora.pooled().estimate()).isEqualTo(0.25);
    String md = Files.readString(tmp.resolve("report").resolve(CompareStudy.SUMMARY));
    assertThat(md)
        .contains("2 run file(s)")
        .contains("| DART − LORA | all | 0.250 [")
        .contains("| LORA | 1 | 5 | 13 | 300 | 100 |");
    assertThat(tmp.resolve("report").resolve(CompareStudy.JSON_FILE)).isNotEmptyFile();
  }

  @Test
  void aDirectoryWithoutFinishedRunsIsRefused() throws Exception {
    run(tmp.resolve("s/seed-1/DART"), false, "DART", 1, 1, 0);
    assertThatThrownBy(() -> CompareStudy.run(tmp.resolve("s"), tmp.resolve("r")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run compare first");
  }

  @Test
  void flatteningComparesTheLastTenthOfTheStepsWithTheTenthBefore() {
    Map<Integer, Double> rising = new TreeMap<>();
    Map<Integer, Double> flat = new TreeMap<>();
    for (int step = 1; step <= 20; step++) {
      rising.put(step, step <= 18 ? 0.1 : 0.3); // steps 19-20 vs 17-18: 0.3 vs 0.1
      flat.put(step, 0.2);
    }
    String md =
        CompareStudy.flattening(
            Map.of("DART", Map.of(1L, rising, 2L, rising), "LORA", Map.of(1L, flat)));
    assertThat(md)
        .contains("| DART | 20 | 0.300 | 0.100 | +0.200 |")
        .contains("| LORA | 20 | 0.200 | 0.200 | +0.000 |");
  }
}

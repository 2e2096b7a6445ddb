package io.github.dartrl.leas.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.leas.attribution.PlantedTruth;
import io.github.dartrl.leas.attribution.PowerCell;
import io.github.dartrl.leas.attribution.PowerConfig;
import io.github.dartrl.leas.attribution.PowerResult;
import io.github.dartrl.leas.attribution.Smoothing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowerReportTest {
  @TempDir Path dir;

  @Test
  void everyCellInEveryFile() throws Exception {
    PowerConfig c =
        new PowerConfig(
            List.of(10, 50),
            List.of(0.0, -1.0),
            List.of(1.0),
            PlantedTruth.MEASURED,
            40,
            100,
            100,
            0.95,
            Smoothing.ADD_HALF,
            0);
    List<PowerCell> cells =
        List.of(
            new PowerCell(10, 0.0, 1.0, 70, 40, 2, 0.05, 0.006, 0.169, 1, 2, 0, 69.5, 0.40, 0.39),
            new PowerCell(
                10, -1.0, 1.0, 70, 40, 10, 0.25, 0.127, 0.412, 0, 12, 1, 69.5, 0.48, 0.40),
            new PowerCell(50, 0.0, 1.0, 70, 40, 0, 0.0, 0.0, 0.088, 0, 1, 30, 70, 0.44, 0.44),
            new PowerCell(50, -1.0, 1.0, 70, 40, 40, 1.0, 0.912, 1.0, 0, 40, 0, 70, 0.70, 0.45));
    PowerResult r = new PowerResult(c, 70, 10, 0.4, cells);
    String md = PowerReport.write(r, dir);
    for (String f : PowerReport.FILES) {
      assertThat(dir.resolve(f)).isNotEmptyFile();
    }
    ReportsTest.png(dir.resolve("power.png"));
    assertThat(md)
        .contains("the 70 kept questions of the measured table (measured N = 10, its fraction")
        .contains("| 10 | -1.00 | 100.0% | 70 | 25.0% [12.7%, 41.2%] | 0.0% | 30.0% | 69.5 |")
        // P(≤ measured) only at the measured N: 1 of 40 here
        .contains("| 48.0% | 40.0% | 0.0250 |")
        // none of 40: below 1/40, not "< 1e-4"
        .contains("| 40.0% | 39.0% | < 0.0250 |")
        .contains("| 50 | -1.00 | 100.0% | 70 | 100.0% [91.2%, 100.0%] |")
        .contains("| 70.0% | 45.0% | – |");
    List<String> csv = Files.readAllLines(dir.resolve("power.csv"));
    assertThat(csv).hasSize(5);
    assertThat(csv.get(0)).startsWith("samples,delta,share,planted,simulations,detected,power");
    assertThat(csv.get(2)).startsWith("10,-1.0,1.0,70,40,10,0.25,");
    assertThat(csv.get(0)).contains(",at_or_below_measured,");
    JsonNode j = new ObjectMapper().readTree(dir.resolve("power.json").toFile());
    assertThat(j.get("kind").asText()).isEqualTo("dart4j-leas-power");
    assertThat(j.get("measured_fraction").asDouble()).isEqualTo(0.4);
    assertThat(j.get("cells").size()).isEqualTo(4);
    assertThat(j.at("/cells/3/power").asDouble()).isEqualTo(1.0);
    assertThat(j.at("/config/truth").asText()).isEqualTo("MEASURED");
  }
}

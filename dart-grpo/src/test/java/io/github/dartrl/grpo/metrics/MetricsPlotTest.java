package io.github.dartrl.grpo.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsPlotTest {

  @TempDir Path dir;

  private static List<StepMetrics> curve(int n) {
    List<StepMetrics> steps = new ArrayList<>();
    for (int s = 1; s <= n; s++) {
      double kl = s == 5 ? Double.NaN : 1e-3 * s;
      steps.add(
          new StepMetrics(s, Map.of("reward", 0.2 + 0.01 * s, "em", 0.1 + 0.01 * s, "kl", kl)));
    }
    return steps;
  }

  private static BufferedImage readPng(Path png) throws IOException {
    assertThat(png).exists();
    assertThat(Files.size(png)).isPositive();
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image).as("a decodable PNG").isNotNull();
    return image;
  }

  @Test
  void writesAPngOfTheDefaultSize() throws IOException {
    Path png = dir.resolve("plots/reward.png");
    MetricsPlot.plot(png, "Reward and EM", curve(30), List.of("reward", "em"));
    BufferedImage image = readPng(png);
    assertThat(image.getWidth()).isEqualTo(MetricsPlot.DEFAULT_WIDTH);
    assertThat(image.getHeight()).isEqualTo(MetricsPlot.DEFAULT_HEIGHT);
  }

  @Test
  void customSizeAndNanGaps() throws IOException {
    Path png = dir.resolve("kl.png");
    MetricsPlot.plot(png, "KL", curve(10), List.of("kl"), 640, 360);
    BufferedImage image = readPng(png);
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(360);
  }

  @Test
  void missingKeysAreLeftOutAndNoDataStillGivesAnImage() throws IOException {
    Path png = dir.resolve("partial.png");
    MetricsPlot.plot(png, "partial", curve(5), List.of("reward", "entropy"), 300, 200);
    assertThat(readPng(png).getWidth()).isEqualTo(300);
    Path empty = dir.resolve("empty.png");
    MetricsPlot.plot(empty, "nothing", List.of(), List.of("reward"), 300, 200);
    assertThat(readPng(empty).getHeight()).isEqualTo(200);
  }

  @Test
  void overwritesAtomically() throws IOException {
    Path png = dir.resolve("r.png");
    Files.writeString(png, "old");
    MetricsPlot.plot(png, "r", curve(3), List.of("reward"), 200, 100);
    assertThat(readPng(png).getWidth()).isEqualTo(200);
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(png);
    }
  }

  @Test
  void rejectsBadArguments() {
    Path png = dir.resolve("x.png");
    assertThatThrownBy(() -> MetricsPlot.plot(png, "t", curve(3), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no metrics");
    assertThatThrownBy(() -> MetricsPlot.plot(png, "t", curve(3), List.of("reward"), 0, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0x10");
    assertThatThrownBy(() -> MetricsPlot.plot(png, "t", null, List.of("reward")))
        .isInstanceOf(NullPointerException.class);
    assertThat(png).doesNotExist();
  }
}

package io.github.dartrl.grpo.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Paint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.plot.DefaultDrawingSupplier;
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
    assertRising(image, seriesColour(0), "reward");
    assertRising(image, seriesColour(1), "em");
  }

  /** JFreeChart's default colour of the i-th series (the chart does not set its own). */
  static Color seriesColour(int i) {
    DefaultDrawingSupplier supplier = new DefaultDrawingSupplier();
    Paint p = null;
    for (int k = 0; k <= i; k++) {
      p = supplier.getNextPaint();
    }
    return (Color) p;
  }

  /**
   * Pixels of exactly {@code colour} inside the plot area (below the title, above the legend), as
   * [x, y] pairs.
   */
  static List<int[]> pixelsOf(BufferedImage image, Color colour) {
    List<int[]> out = new ArrayList<>();
    int w = image.getWidth();
    int h = image.getHeight();
    for (int y = h / 10; y < h * 8 / 10; y++) {
      for (int x = w / 10; x < w; x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF)) {
          out.add(new int[] {x, y});
        }
      }
    }
    return out;
  }

  /**
   * The series' line is drawn (its colour covers a stretch of the plot area, not only the legend
   * swatch) and rises from left to right, as the data do: a blank or empty chart fails.
   */
  static void assertRising(BufferedImage image, Color colour, String name) {
    List<int[]> px = pixelsOf(image, colour);
    assertThat(px.size()).as("%s pixels in the plot area", name).isGreaterThan(100);
    int minX = px.stream().mapToInt(p -> p[0]).min().orElseThrow();
    int maxX = px.stream().mapToInt(p -> p[0]).max().orElseThrow();
    assertThat(maxX - minX)
        .as("%s line spans the x axis", name)
        .isGreaterThan(image.getWidth() / 2);
    double leftY =
        px.stream().filter(p -> p[0] < minX + 20).mapToInt(p -> p[1]).average().orElseThrow();
    double rightY =
        px.stream().filter(p -> p[0] > maxX - 20).mapToInt(p -> p[1]).average().orElseThrow();
    assertThat(rightY)
        .as("%s rises (screen y falls) from left to right", name)
        .isLessThan(leftY - 10);
  }

  @Test
  void customSizeAndNanGaps() throws IOException {
    Path png = dir.resolve("kl.png");
    MetricsPlot.plot(png, "KL", curve(10), List.of("kl"), 640, 360);
    BufferedImage image = readPng(png);
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(360);
    assertRising(image, seriesColour(0), "kl");
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

package io.github.dartrl.grpo.metrics;

import io.github.dartrl.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Line charts of metrics over steps, written as PNG with JFreeChart; used at the end of training
 * for the reward/EM and KL curves.
 *
 * <p>Rendering draws into an off-screen image and needs no display; the class leaves {@code
 * java.awt.headless} to the application (the command line sets it). JFreeChart is an optional
 * dependency: ask {@link Charting#available()} before calling this class. A NaN value breaks its
 * line (a gap, not a drop to zero); a key that no step has is left out of the chart with a warning,
 * so a missing metric (say, KL in a run without a KL term) does not cost the other curves. Files
 * are written atomically.
 */
public final class MetricsPlot {

  /** The default image width, in pixels. */
  public static final int DEFAULT_WIDTH = 900;

  /** The default image height, in pixels. */
  public static final int DEFAULT_HEIGHT = 500;

  private static final Logger LOG = LoggerFactory.getLogger(MetricsPlot.class);

  private MetricsPlot() {}

  /** Plots at the default size ({@value #DEFAULT_WIDTH} × {@value #DEFAULT_HEIGHT}). */
  public static void plot(Path png, String title, List<StepMetrics> steps, List<String> keys)
      throws IOException {
    plot(png, title, steps, keys, DEFAULT_WIDTH, DEFAULT_HEIGHT);
  }

  /**
   * Writes a PNG line chart: x = step, one line per key.
   *
   * @param png the output file (parent directories are created)
   * @param title the chart title
   * @param steps the logged steps, in any order
   * @param keys the metrics to draw, at least one
   * @param width the image width in pixels
   * @param height the image height in pixels
   * @throws IllegalArgumentException when {@code keys} is empty or a size is not positive
   * @throws IOException when the file cannot be written
   */
  public static void plot(
      Path png, String title, List<StepMetrics> steps, List<String> keys, int width, int height)
      throws IOException {
    Objects.requireNonNull(png, "png");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(steps, "steps");
    Objects.requireNonNull(keys, "keys");
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("no metrics to plot");
    }
    if (width < 1 || height < 1) {
      throw new IllegalArgumentException(
          "image size must be positive, got " + width + "x" + height);
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    for (String key : keys) {
      // autoSort: steps may come in any order; duplicates allowed: a resumed run may repeat one.
      XYSeries series = new XYSeries(key, true, true);
      boolean any = false;
      for (StepMetrics m : steps) {
        if (m.values().containsKey(key)) {
          double v = m.value(key);
          series.add(m.step(), Double.isFinite(v) ? Double.valueOf(v) : null);
          any |= Double.isFinite(v);
        }
      }
      if (any) {
        dataset.addSeries(series);
      } else {
        LOG.warn("No values of {} to plot in {}; leaving it out", key, png);
      }
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            title, "step", null, dataset, PlotOrientation.VERTICAL, true, false, false);
    style(chart);
    AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
  }

  private static void style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setNoDataMessage("no data");
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int i = 0; i < plot.getDataset().getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
  }

  /**
   * The end-of-training charts of a run, {@code reward.png} (reward and EM) and {@code kl.png}, in
   * {@code dir}. Nothing is written for a run without steps; a failure is logged, not thrown (the
   * charts are a convenience, the metrics file is the record).
   */
  public static void plotRun(Path dir, List<StepMetrics> steps) {
    if (steps.isEmpty()) {
      return;
    }
    try {
      java.nio.file.Files.createDirectories(dir);
      plot(dir.resolve("reward.png"), "Reward and EM", steps, List.of("reward/mean", "em/mean"));
      plot(dir.resolve("kl.png"), "KL to the reference", steps, List.of("actor/kl"));
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not write plots: {}", e.getMessage());
    }
  }
}

package io.github.dartrl.examples.compare;

import io.github.dartrl.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The study's charts: EM per data_source and arm with the 95% bootstrap CI as error bars ({@value
 * #EM_PLOT}; x = data_source index, arms side by side), and the training reward per step of each
 * method, mean over seeds with the seeds' min–max as a band ({@value #REWARD_PLOT}).
 */
final class StudyPlots {
  static final String EM_PLOT = "study_em_ci.png";
  static final String REWARD_PLOT = "study_reward_bands.png";
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 520;

  private StudyPlots() {}

  /** Writes the charts into {@code dir}; returns their file names. */
  static List<String> write(
      StudyStats.Result r, Map<String, Map<Long, Map<Integer, Double>>> curves, Path dir)
      throws IOException {
    List<String> written = new ArrayList<>();
    emChart(r, dir.resolve(EM_PLOT));
    written.add(EM_PLOT);
    if (!curves.isEmpty()) {
      rewardChart(curves, dir.resolve(REWARD_PLOT));
      written.add(REWARD_PLOT);
    }
    return written;
  }

  private static void emChart(StudyStats.Result r, Path png) throws IOException {
    List<String> sources = r.em().stream().map(StudyStats.ArmEm::source).distinct().toList();
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    int arms = r.arms().size();
    for (int a = 0; a < arms; a++) {
      String arm = r.arms().get(a);
      YIntervalSeries series = new YIntervalSeries(arm);
      for (StudyStats.ArmEm e : r.em()) {
        if (e.arm().equals(arm)) {
          double x = sources.indexOf(e.source()) + (a + 0.5) / arms - 0.5;
          series.add(x, e.pooled().estimate(), e.pooled().lower(), e.pooled().upper());
        }
      }
      data.addSeries(series);
    }
    NumberAxis x = new NumberAxis("data_source: " + String.join(", ", sources) + " (0, 1, ...)");
    x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
    NumberAxis y = new NumberAxis("greedy EM, 95% CI (bootstrap over questions)");
    y.setRange(0, 1);
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDrawXError(false);
    renderer.setDefaultLinesVisible(false);
    XYPlot plot = new XYPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart =
        new JFreeChart(
            "Test EM, seeds " + r.seeds() + " pooled", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }

  private static void rewardChart(Map<String, Map<Long, Map<Integer, Double>>> curves, Path png)
      throws IOException {
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    for (Map.Entry<String, Map<Long, Map<Integer, Double>>> m : curves.entrySet()) {
      Map<Integer, List<Double>> byStep = new TreeMap<>();
      m.getValue()
          .values()
          .forEach(
              c ->
                  c.forEach(
                      (step, v) -> byStep.computeIfAbsent(step, k -> new ArrayList<>()).add(v)));
      YIntervalSeries series =
          new YIntervalSeries(m.getKey() + " (" + m.getValue().size() + " seeds)");
      byStep.forEach(
          (step, vs) -> {
            double mean = vs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double lo = vs.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double hi = vs.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
            series.add(step, mean, lo, hi);
          });
      data.addSeries(series);
    }
    DeviationRenderer renderer = new DeviationRenderer(true, false);
    renderer.setAlpha(0.2f);
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesStroke(i, new BasicStroke(1.5f));
    }
    XYPlot plot =
        new XYPlot(
            data,
            new NumberAxis("GRPO step"),
            new NumberAxis("training reward (mean over seeds, band: min–max)"),
            renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart =
        new JFreeChart("GRPO reward per step", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }
}

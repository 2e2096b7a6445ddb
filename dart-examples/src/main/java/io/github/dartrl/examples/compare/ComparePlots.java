package io.github.dartrl.examples.compare;

import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.train.EvalResult;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The comparison's charts: EM per data_source and method with ±1 std error bars over seeds ({@code
 * em_by_method.png}), and the training reward per step of each method, averaged over seeds and
 * smoothed by a trailing moving average ({@code reward_by_method.png}).
 */
final class ComparePlots {
  static final String EM_PLOT = "em_by_method.png";
  static final String REWARD_PLOT = "reward_by_method.png";
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 520;

  private ComparePlots() {}

  /** Writes the charts into {@code dir}; returns their file names. */
  static List<String> write(CompareResult r, Path dir) throws IOException {
    List<String> written = new ArrayList<>();
    emChart(r, dir.resolve(EM_PLOT));
    written.add(EM_PLOT);
    if (r.runs().stream().anyMatch(x -> !x.history().isEmpty())) {
      rewardChart(r, dir.resolve(REWARD_PLOT));
      written.add(REWARD_PLOT);
    }
    return written;
  }

  private static void emChart(CompareResult r, Path png) throws IOException {
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    List<EvalResult> warm = new ArrayList<>(r.warmStart().values());
    List<String> sources = CompareReport.sources(warm);
    for (String s : sources) {
      SeedSpread w =
          SeedSpread.of(warm.stream().mapToDouble(e -> CompareReport.em(e, s)).toArray());
      data.add(w.mean(), std(w), "warm start", s);
    }
    for (CompareMethod m : r.config().methods()) {
      List<RunResult> runs = r.runsOf(m);
      if (runs.isEmpty()) {
        continue;
      }
      for (String s : sources) {
        SeedSpread sp =
            SeedSpread.of(runs.stream().mapToDouble(x -> CompareReport.em(x.after(), s)).toArray());
        data.add(sp.mean(), std(sp), m.name(), s);
      }
    }
    CategoryAxis x = new CategoryAxis("test data_source");
    NumberAxis y = new NumberAxis("greedy EM (mean ± std over seeds)");
    y.setRange(0, 1);
    StatisticalBarRenderer renderer = new StatisticalBarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setErrorIndicatorPaint(Color.BLACK);
    renderer.setDrawBarOutline(false);
    renderer.setShadowVisible(false);
    CategoryPlot plot = new CategoryPlot(data, x, y, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart =
        new JFreeChart(
            "Test EM after "
                + r.plan().steps()
                + " GRPO steps ("
                + r.config().seeds().size()
                + " seed(s))",
            JFreeChart.DEFAULT_TITLE_FONT,
            plot,
            true);
    chart.setBackgroundPaint(Color.WHITE);
    AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }

  private static double std(SeedSpread s) {
    return Double.isFinite(s.std()) ? s.std() : 0;
  }

  private static void rewardChart(CompareResult r, Path png) throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    int window = Math.max(1, r.plan().steps() / 10);
    for (CompareMethod m : r.config().methods()) {
      Map<Integer, double[]> byStep = new TreeMap<>();
      for (RunResult run : r.runsOf(m)) {
        for (StepMetrics s : run.history()) {
          double v = s.value("reward/mean");
          if (Double.isFinite(v)) {
            double[] acc = byStep.computeIfAbsent(s.step(), k -> new double[2]);
            acc[0] += v;
            acc[1]++;
          }
        }
      }
      if (byStep.isEmpty()) {
        continue;
      }
      XYSeries series = new XYSeries(m.name() + (window > 1 ? " (" + window + "-step mean)" : ""));
      List<Double> recent = new ArrayList<>();
      for (Map.Entry<Integer, double[]> e : byStep.entrySet()) {
        recent.add(e.getValue()[0] / e.getValue()[1]);
        if (recent.size() > window) {
          recent.remove(0);
        }
        series.add(
            e.getKey().doubleValue(),
            recent.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
      }
      data.addSeries(series);
    }
    JFreeChart chart =
        ChartFactory.createXYLineChart(
            "GRPO training reward per step (mean over seeds)",
            "step",
            "reward (" + r.config().reward() + ")",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    plot.setRenderer(renderer);
    AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }
}

package io.github.dartrl.leas.report;

import io.github.dartrl.core.io.AtomicFiles;
import io.github.dartrl.leas.stats.Histogram;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The few chart shapes the reports need, drawn off-screen to PNG (no display needed; {@code
 * java.awt.headless} is the application's choice). Links against the optional JFreeChart: callers
 * check {@link io.github.dartrl.grpo.metrics.Charting#available()} first.
 */
final class Charts {
  static final int WIDTH = 900;
  static final int HEIGHT = 520;
  static final Color BLUE = new Color(31, 119, 180);
  static final Color RED = new Color(214, 39, 40);
  static final Color GREEN = new Color(44, 160, 44);
  static final Color ORANGE = new Color(255, 127, 14);
  static final Color GREY = new Color(90, 90, 90);

  private Charts() {}

  /** One histogram series. */
  record Bars(String name, Histogram histogram, Color color) {}

  /** One line on the secondary axis, NaN = gap. */
  record Line(String name, double[] x, double[] y, Color color) {}

  /**
   * Overlaid histograms (translucent bars at the bin centres), optionally as fractions of each
   * series' total, plus optional lines on a secondary [0, 1] axis.
   */
  static void histograms(
      Path png,
      String title,
      String xLabel,
      List<Bars> bars,
      boolean asFraction,
      List<Line> lines,
      String lineAxis)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    double width = Double.NaN;
    for (Bars b : bars) {
      Histogram h = b.histogram();
      XYSeries s = new XYSeries(b.name(), false, true);
      double total = Math.max(1, h.total());
      for (int i = 0; i < h.bins(); i++) {
        s.add(h.center(i), asFraction ? h.counts()[i] / total : h.counts()[i]);
      }
      data.addSeries(s);
      width = h.edges()[1] - h.edges()[0];
    }
    if (!Double.isNaN(width)) {
      data.setIntervalWidth(width);
    }
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis(asFraction ? "fraction of pairs" : "count");
    XYBarRenderer r = new XYBarRenderer(0.05);
    r.setBarPainter(new StandardXYBarPainter());
    r.setShadowVisible(false);
    for (int i = 0; i < bars.size(); i++) {
      Color c = bars.get(i).color();
      r.setSeriesPaint(
          i, new Color(c.getRed(), c.getGreen(), c.getBlue(), bars.size() > 1 ? 140 : 220));
    }
    XYPlot plot = new XYPlot(data, x, y, r);
    if (lines != null && !lines.isEmpty()) {
      XYSeriesCollection ld = new XYSeriesCollection();
      XYLineAndShapeRenderer lr = new XYLineAndShapeRenderer(true, true);
      for (int i = 0; i < lines.size(); i++) {
        Line l = lines.get(i);
        XYSeries s = new XYSeries(l.name(), false, true);
        for (int k = 0; k < l.x().length; k++) {
          s.add(l.x()[k], Double.isFinite(l.y()[k]) ? Double.valueOf(l.y()[k]) : null);
        }
        ld.addSeries(s);
        lr.setSeriesPaint(i, l.color());
        lr.setSeriesStroke(i, new BasicStroke(2f));
      }
      NumberAxis y2 = new NumberAxis(lineAxis);
      y2.setRange(0, 1.05);
      plot.setDataset(1, ld);
      plot.setRangeAxis(1, y2);
      plot.mapDatasetToRangeAxis(1, 1);
      plot.setRenderer(1, lr);
    }
    write(png, title, plot);
  }

  /** Lines over a numeric x axis (e.g. angle per layer index). */
  static void lines(Path png, String title, String xLabel, String yLabel, List<Line> lines)
      throws IOException {
    lines(png, title, xLabel, yLabel, lines, 0, 180, true);
  }

  /** Lines over a numeric x axis, the y axis fixed to [yMin, yMax]. */
  static void lines(
      Path png,
      String title,
      String xLabel,
      String yLabel,
      List<Line> lines,
      double yMin,
      double yMax,
      boolean integerX)
      throws IOException {
    XYSeriesCollection data = new XYSeriesCollection();
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      XYSeries s = new XYSeries(l.name(), false, true);
      for (int k = 0; k < l.x().length; k++) {
        s.add(l.x()[k], Double.isFinite(l.y()[k]) ? Double.valueOf(l.y()[k]) : null);
      }
      data.addSeries(s);
      r.setSeriesPaint(i, l.color());
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    NumberAxis x = new NumberAxis(xLabel);
    if (integerX) {
      x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis(yLabel);
    y.setRange(yMin, yMax);
    write(png, title, new XYPlot(data, x, y, r));
  }

  private static void write(Path png, String title, XYPlot plot) throws IOException {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.setNoDataMessage("no data");
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    AtomicFiles.write(png, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }
}

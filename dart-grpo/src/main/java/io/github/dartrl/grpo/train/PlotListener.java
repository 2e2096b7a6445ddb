package io.github.dartrl.grpo.train;

import io.github.dartrl.grpo.metrics.Charting;
import io.github.dartrl.grpo.metrics.MetricsPlot;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Draws a run's metric charts ({@link MetricsPlot#plotRun}) into a directory when {@link
 * Trainer#fit} ends. JFreeChart is an optional dependency: without it on the class path this
 * listener draws nothing (and {@link Charting} logs once why), so a library user trains unplotted.
 * The {@link Trainer} adds one for {@code <runDir>/plots} unless {@link Trainer.Builder#plots} is
 * turned off.
 */
public final class PlotListener implements TrainerListener {
  private final Path dir;

  /** Plots into {@code dir} (created if missing). */
  public PlotListener(Path dir) {
    this.dir = Objects.requireNonNull(dir, "dir");
  }

  @Override
  public void onFitEnd(TrainResult result) {
    if (Charting.available()) { // never touch MetricsPlot without JFreeChart: it would not link
      MetricsPlot.plotRun(dir, result.history());
    }
  }
}

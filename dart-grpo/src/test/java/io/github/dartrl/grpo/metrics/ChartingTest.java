package io.github.dartrl.grpo.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

/**
 * {@link Charting} tells whether JFreeChart can be loaded. The end-to-end proof that training works
 * without it is the consumer project (dart-examples/src/it/consumer), which has no JFreeChart and
 * trains.
 */
class ChartingTest {
  @Test
  void jfreeChartIsFoundWhenOnTheClassPath() {
    assertThat(Charting.available()).isTrue();
  }

  @Test
  void aLoaderWithoutJFreeChartReportsItMissing() throws Exception {
    // the platform loader sees the JDK but not the application class path
    try (URLClassLoader bare =
        new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
      assertThat(Charting.present(Charting.PROBE_CLASS, bare)).isFalse();
      assertThat(Charting.present("java.lang.String", bare)).isTrue();
    }
  }
}

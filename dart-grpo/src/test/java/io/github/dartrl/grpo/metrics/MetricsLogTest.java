package io.github.dartrl.grpo.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class MetricsLogTest {

  @TempDir Path dir;

  private static Map<String, Double> values(Object... kv) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (Double) kv[i + 1]);
    }
    return m;
  }

  @Test
  void writesOneFlushedLinePerStepInInsertionOrder() throws IOException {
    Path run = dir.resolve("run");
    try (MetricsLog log = MetricsLog.open(run)) {
      log.log(1, values("reward", 0.5, "em", 0.25, "kl", 1e-3));
      // Flushed: readable before close.
      assertThat(Files.readAllLines(log.file()))
          .containsExactly("{\"step\":1,\"reward\":0.5,\"em\":0.25,\"kl\":0.001}");
      log.log(2, values("kl", 2e-3, "reward", 0.75));
      assertThat(log.file()).isEqualTo(run.resolve("metrics.jsonl"));
    }
    assertThat(Files.readAllLines(run.resolve("metrics.jsonl")).get(1))
        .isEqualTo("{\"step\":2,\"kl\":0.002,\"reward\":0.75}");
  }

  @Test
  void roundTripThroughTheFileAndReopening() throws IOException {
    List<StepMetrics> logged =
        List.of(
            new StepMetrics(0, values("reward", 0.1, "em", 0.0)),
            new StepMetrics(1, values("reward", 0.2, "em", 1.0 / 3)),
            new StepMetrics(2, values("reward", -1.5e-7)));
    try (MetricsLog log = MetricsLog.open(dir)) {
      logged.forEach(log::log);
      assertThat(log.steps()).isEqualTo(logged);
    }
    assertThat(MetricsLog.read(dir.resolve(MetricsLog.FILE_NAME))).isEqualTo(logged);
    try (MetricsLog reopened = MetricsLog.open(dir)) {
      assertThat(reopened.steps()).isEqualTo(logged);
      reopened.log(3, values("reward", 0.4));
      assertThat(reopened.steps()).hasSize(4);
    }
    assertThat(MetricsLog.read(dir.resolve(MetricsLog.FILE_NAME))).hasSize(4);
  }

  @Test
  void nonFiniteValuesAreWrittenAsNullWithOneWarningPerMetric() throws IOException {
    Logger logger = (Logger) LoggerFactory.getLogger(MetricsLog.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (MetricsLog log = MetricsLog.open(dir)) {
      log.log(1, values("kl", Double.NaN, "loss", Double.POSITIVE_INFINITY, "em", 0.5));
      log.log(2, values("kl", Double.NaN, "loss", Double.NEGATIVE_INFINITY, "em", 0.5));
      // In memory the values stay as they were.
      assertThat(log.steps().get(0).value("loss")).isEqualTo(Double.POSITIVE_INFINITY);
    } finally {
      logger.detachAppender(appender);
    }
    Path file = dir.resolve(MetricsLog.FILE_NAME);
    assertThat(Files.readAllLines(file).get(0))
        .isEqualTo("{\"step\":1,\"kl\":null,\"loss\":null,\"em\":0.5}");
    List<StepMetrics> read = MetricsLog.read(file);
    assertThat(read.get(1).value("kl")).isNaN();
    assertThat(read.get(1).value("loss")).isNaN();
    List<String> warnings =
        appender.list.stream()
            .filter(e -> e.getLevel() == Level.WARN)
            .map(ILoggingEvent::getFormattedMessage)
            .toList();
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).contains("kl is NaN at step 1").contains("null");
    assertThat(warnings.get(1)).contains("loss is Infinity at step 1");
  }

  @Test
  void dropAfterForgetsLaterStepsInMemoryAndOnDisk() throws IOException {
    try (MetricsLog log = MetricsLog.open(dir)) {
      for (int s = 1; s <= 5; s++) {
        log.log(s, values("reward", (double) s));
      }
      assertThat(log.dropAfter(3)).isEqualTo(2);
      assertThat(log.dropAfter(3)).isZero();
      log.log(4, values("reward", 40.0));
      assertThat(log.steps()).extracting(StepMetrics::step).containsExactly(1, 2, 3, 4);
    }
    List<StepMetrics> read = MetricsLog.read(dir.resolve(MetricsLog.FILE_NAME));
    assertThat(read).extracting(StepMetrics::step).containsExactly(1, 2, 3, 4);
    assertThat(read.get(3).value("reward")).isEqualTo(40.0);
  }

  @Test
  void dropAfterANegativeStepIsRefusedAndTheFileKept() throws IOException {
    try (MetricsLog log = MetricsLog.open(dir)) {
      log.log(1, values("reward", 1.0));
      assertThatThrownBy(() -> log.dropAfter(-5)).hasMessageContaining("step must be >= 0");
      assertThat(log.steps()).hasSize(1);
    }
    assertThat(MetricsLog.read(dir.resolve(MetricsLog.FILE_NAME))).hasSize(1);
  }

  @Test
  void aCutOffLastLineIsRemovedOnOpen() throws IOException {
    Path file = dir.resolve(MetricsLog.FILE_NAME);
    Files.writeString(file, "{\"step\":1,\"reward\":0.5}\n{\"step\":2,\"rew");
    try (MetricsLog log = MetricsLog.open(dir)) {
      assertThat(log.steps()).extracting(StepMetrics::step).containsExactly(1);
      log.log(2, values("reward", 0.6));
    }
    assertThat(Files.readAllLines(file))
        .containsExactly("{\"step\":1,\"reward\":0.5}", "{\"step\":2,\"reward\":0.6}");
  }

  @Test
  void aCompleteLastLineWithoutNewlineIsKept() throws IOException {
    Path file = dir.resolve(MetricsLog.FILE_NAME);
    Files.writeString(file, "{\"step\":1,\"reward\":0.5}");
    try (MetricsLog log = MetricsLog.open(dir)) {
      log.log(2, values("reward", 0.6));
    }
    assertThat(MetricsLog.read(file)).extracting(StepMetrics::step).containsExactly(1, 2);
  }

  @Test
  void badLinesNameFileAndLine() throws IOException {
    Path file = dir.resolve(MetricsLog.FILE_NAME);
    Files.writeString(file, "{\"step\":1}\n\n{not json}\n{\"step\":3}\n", StandardCharsets.UTF_8);
    assertThatThrownBy(() -> MetricsLog.open(dir))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(file + ":3: malformed JSON");
    Files.writeString(file, "{\"step\":-1}\n");
    assertThatThrownBy(() -> MetricsLog.read(file)).hasMessageContaining(":1: field \"step\"");
    Files.writeString(file, "{\"step\":1.5}\n");
    assertThatThrownBy(() -> MetricsLog.read(file)).hasMessageContaining("field \"step\"");
    Files.writeString(file, "{\"reward\":1}\n");
    assertThatThrownBy(() -> MetricsLog.read(file)).hasMessageContaining("field \"step\"");
    Files.writeString(file, "{\"step\":1,\"name\":\"x\"}\n");
    assertThatThrownBy(() -> MetricsLog.read(file))
        .hasMessageContaining("field \"name\": expected a number or null");
    Files.writeString(file, "[1]\n");
    assertThatThrownBy(() -> MetricsLog.read(file)).hasMessageContaining("expected a JSON object");
  }

  @Test
  void closedLogRefusesWrites() throws IOException {
    MetricsLog log = MetricsLog.open(dir);
    log.log(1, values("a", 1.0));
    log.close();
    log.close();
    assertThatThrownBy(() -> log.log(2, values("a", 1.0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> log.dropAfter(0)).isInstanceOf(IllegalStateException.class);
    assertThat(log.steps()).hasSize(1);
  }

  @Test
  void stepMetricsValidation() {
    Map<String, Double> withNull = new LinkedHashMap<>();
    withNull.put("kl", null);
    assertThat(new StepMetrics(0, withNull).value("kl")).isNaN();
    assertThat(new StepMetrics(0, Map.of()).value("absent")).isNaN();
    assertThatThrownBy(() -> new StepMetrics(-1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("step must be >= 0");
    assertThatThrownBy(() -> new StepMetrics(1, Map.of("step", 1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reserved");
    assertThatThrownBy(() -> new StepMetrics(1, null)).isInstanceOf(NullPointerException.class);
  }
}

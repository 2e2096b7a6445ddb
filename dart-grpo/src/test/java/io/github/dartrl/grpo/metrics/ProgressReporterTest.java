package io.github.dartrl.grpo.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong();

  private static StepMetrics step(int s) {
    return new StepMetrics(s, Map.of("reward", 0.41, "em", 0.38, "kl", 0.0012));
  }

  @Test
  void theDocumentedLine() {
    ProgressReporter r = ProgressReporter.builder(100).optClock(clock::get).build();
    Optional<String> line = Optional.empty();
    for (int s = 1; s <= 12; s++) {
      clock.addAndGet(3_200_000_000L);
      line = r.report(step(s));
    }
    // 3.2 s/step x 88 steps left = 281.6 s, truncated to 4m41s.
    assertThat(line)
        .hasValue("step 12/100 (12%) | reward 0.41 | em 0.38 | kl 0.0012 | 3.2 s/step | ETA 4m41s");
  }

  @Test
  void aLabelAndAUnitNameWhatIsCounted() {
    ProgressReporter r =
        ProgressReporter.builder(8)
            .optLabel("eval (test)")
            .optUnit("question")
            .optKeys(List.of("em"))
            .optClock(clock::get)
            .build();
    clock.addAndGet(2 * SECOND);
    assertThat(r.report(new StepMetrics(4, Map.of("em", 0.5))))
        .hasValue("eval (test) | question 4/8 (50%) | em 0.50 | 0.50 s/question | ETA 2s");
    assertThatThrownBy(() -> ProgressReporter.builder(8).optUnit(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void speedIsAMovingAverageOverTheWindow() {
    ProgressReporter r =
        ProgressReporter.builder(1000).optWindow(4).optKeys(List.of()).optClock(clock::get).build();
    for (int s = 1; s <= 10; s++) {
      clock.addAndGet(10 * SECOND); // slow start
      r.report(step(s));
    }
    for (int s = 11; s <= 14; s++) {
      clock.addAndGet(SECOND);
      r.report(step(s));
    }
    // Only the last 4 steps count: 1 s/step, not the all-time 7.4.
    assertThat(r.secondsPerStep()).isEqualTo(1.0);
    assertThat(r.line(step(14))).isEqualTo("step 14/1000 (1%) | 1.0 s/step | ETA 16m26s");
  }

  @Test
  void reportsEveryNStepsAndAlwaysTheLast() {
    ProgressReporter r =
        ProgressReporter.builder(7).optEvery(3).optKeys(List.of("em")).optClock(clock::get).build();
    StringBuilder reported = new StringBuilder();
    for (int s = 1; s <= 7; s++) {
      clock.addAndGet(2 * SECOND);
      r.report(step(s)).ifPresent(l -> reported.append(l).append('\n'));
    }
    assertThat(reported.toString().split("\n"))
        .containsExactly(
            "step 3/7 (42%) | em 0.38 | 2.0 s/step | ETA 8s",
            "step 6/7 (85%) | em 0.38 | 2.0 s/step | ETA 2s",
            "step 7/7 (100%) | em 0.38 | 2.0 s/step | ETA 0s");
  }

  @Test
  void missingMetricsAndNoTimingYet() {
    ProgressReporter r =
        ProgressReporter.builder(10)
            .optKeys(List.of("reward", "entropy"))
            .optClock(clock::get)
            .build();
    assertThat(r.line(new StepMetrics(0, Map.of("reward", Double.NaN))))
        .isEqualTo("step 0/10 (0%) | reward n/a | entropy n/a | n/a s/step | ETA n/a");
  }

  @Test
  void resumedRunsTimeFromTheStartStep() {
    ProgressReporter r =
        ProgressReporter.builder(100)
            .optStartStep(50)
            .optKeys(List.of())
            .optClock(clock::get)
            .build();
    clock.addAndGet(90 * SECOND);
    assertThat(r.report(new StepMetrics(51, Map.of())))
        .hasValue("step 51/100 (51%) | 90 s/step | ETA 1h13m30s");
  }

  @Test
  void aRepeatedStepDoesNotBreakTheRate() {
    ProgressReporter r =
        ProgressReporter.builder(10).optKeys(List.of()).optClock(clock::get).build();
    clock.addAndGet(SECOND / 2);
    r.report(step(1));
    clock.addAndGet(SECOND);
    r.report(step(1));
    assertThat(r.secondsPerStep()).isEqualTo(0.5);
    assertThat(r.line(step(1))).endsWith("| 0.50 s/step | ETA 4s");
  }

  @Test
  void valueFormatting() {
    assertThat(ProgressReporter.formatValue(0.41)).isEqualTo("0.41");
    assertThat(ProgressReporter.formatValue(1.0)).isEqualTo("1.00");
    assertThat(ProgressReporter.formatValue(-0.256)).isEqualTo("-0.26");
    assertThat(ProgressReporter.formatValue(0.0012)).isEqualTo("0.0012");
    assertThat(ProgressReporter.formatValue(0.001234)).isEqualTo("0.0012");
    assertThat(ProgressReporter.formatValue(3.4e-6)).isEqualTo("3.4e-06");
    assertThat(ProgressReporter.formatValue(123456.0)).isEqualTo("1.23e+05");
    assertThat(ProgressReporter.formatValue(0.0)).isEqualTo("0");
    assertThat(ProgressReporter.formatValue(Double.NaN)).isEqualTo("n/a");
    assertThat(ProgressReporter.formatValue(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
  }

  @Test
  void durationFormatting() {
    assertThat(ProgressReporter.formatDuration(0)).isEqualTo("0s");
    assertThat(ProgressReporter.formatDuration(59)).isEqualTo("59s");
    assertThat(ProgressReporter.formatDuration(60)).isEqualTo("1m00s");
    assertThat(ProgressReporter.formatDuration(3723)).isEqualTo("1h02m03s");
  }

  @Test
  void builderRejectsBadSettings() {
    assertThatThrownBy(() -> ProgressReporter.builder(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("totalSteps");
    ProgressReporter.Builder b = ProgressReporter.builder(10);
    assertThatThrownBy(() -> b.optEvery(0)).hasMessageContaining("every");
    assertThatThrownBy(() -> b.optWindow(0)).hasMessageContaining("window");
    assertThatThrownBy(() -> b.optStartStep(10)).hasMessageContaining("startStep");
    assertThatThrownBy(() -> b.optStartStep(-1)).hasMessageContaining("startStep");
    assertThatThrownBy(() -> b.optClock(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> b.optKeys(null)).isInstanceOf(NullPointerException.class);
  }
}

package io.github.dartrl.grpo.metrics;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * dart-grpo used to carry its own {@code AtomicFiles} that renamed but never fsynced, so CSV files,
 * summaries and datasets were atomic but not durable. There is one implementation, in dart-core.
 */
class OneAtomicFilesTest {

  @Test
  void theNonDurableCopyIsGone() {
    assertThatThrownBy(() -> Class.forName("io.github.dartrl.grpo.metrics.AtomicFiles"))
        .isInstanceOf(ClassNotFoundException.class);
  }
}

package io.github.dartrl.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Runs every measurement of the suite on tiny models: checks it completes and reports, not speed.
 */
class PerfSuiteSmokeTest {

  @Test
  void quickRunReportsEverySectionAndEveryTarget() throws Exception {
    PerfSuite.Result r = PerfSuite.run(PerfConfig.quick());
    assertThat(r.markdown())
        .contains("### Targets")
        .contains("### Ceilings")
        .contains("### Training step")
        .contains("### Decode, batch 1")
        .contains("### Rollout throughput")
        .contains("### Multi-turn")
        .contains("outside libtorch kernels")
        .contains("ops/token")
        .contains("load average");
    assertThat(r.targets()).hasSize(7);
    for (Target t : r.targets()) {
      assertThat(r.markdown()).contains(t.row());
      assertThat(t.value()).as(t.name()).isFinite().isPositive();
    }
  }
}

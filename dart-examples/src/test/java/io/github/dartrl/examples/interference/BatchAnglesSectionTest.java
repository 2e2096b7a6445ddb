package io.github.dartrl.examples.interference;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.examples.interference.InterferenceResult.ProbeOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary's batch-split section says why a target has no angles instead of vanishing. */
class BatchAnglesSectionTest {

  @Test
  void aProbeWithNothingToMeasureStillGetsItsRowAndReason() {
    String why = "no query had mixed rewards (all 12 groups of 4 were all-correct or all-wrong)";
    ProbeOutcome failed = new ProbeOutcome(ProbeTarget.BASE_FULL, null, why, null, null, 0.1);
    String md = BatchAnglesSection.markdown(List.of(failed));
    assertThat(md)
        .contains("Batch-split angles")
        .contains("| base-full | – | – | no batch angles: " + why)
        .doesNotContain("batch_angles.png");
  }

  @Test
  void noProbedTargetNoSection() {
    assertThat(BatchAnglesSection.markdown(List.of())).isEmpty();
  }
}

package io.github.dartrl.grpo.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.core.faults.FaultSuite;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FaultSuite} over dart-grpo's inputs ({@link GrpoFaults}). */
class GrpoFaultSuiteTest extends FaultSuite {
  @Override
  protected List<FaultCase> cases() {
    return GrpoFaults.all();
  }

  @Override
  protected String module() {
    return "dart-grpo";
  }

  /**
   * The module's cases, counted when they moved here from one suite: a case lost in a move fails.
   */
  @Test
  void holdsEveryCaseOfThisModule() {
    assertThat(cases()).hasSize(41);
  }
}

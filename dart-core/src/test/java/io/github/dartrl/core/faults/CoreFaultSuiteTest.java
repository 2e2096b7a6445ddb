package io.github.dartrl.core.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link FaultSuite} over dart-core's inputs ({@link CoreFaults}). */
class CoreFaultSuiteTest extends FaultSuite {
  @Override
  protected List<FaultCase> cases() {
    return CoreFaults.all();
  }

  @Override
  protected String module() {
    return "dart-core";
  }

  /**
   * The module's cases, counted when they moved here from one suite: a case lost in a move fails.
   */
  @Test
  void holdsEveryCaseOfThisModule() {
    assertThat(cases()).hasSize(52);
  }
}

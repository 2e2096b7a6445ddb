package io.github.dartrl.grpo.faults;

import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.core.faults.FaultSuite;
import java.util.List;

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
}

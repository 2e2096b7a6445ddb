package io.github.dartrl.core.faults;

import java.util.List;

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
}

package io.github.dartrl.examples.faults;

import io.github.dartrl.core.faults.CoreFaults;
import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.grpo.faults.GrpoFaults;
import java.util.ArrayList;
import java.util.List;

/**
 * Every fault case of the project, in the order of {@link io.github.dartrl.core.faults.Category}:
 * dart-core's and dart-grpo's (which their own suites run) and this module's (CLI arguments and the
 * quickstart's config, run by {@link CliFaultSuiteTest}).
 */
final class FaultCatalog {
  private FaultCatalog() {}

  /** This module's cases. */
  static List<FaultCase> examples() {
    List<FaultCase> all = new ArrayList<>(ConfigFaults.cases());
    all.addAll(CliFaults.cases());
    return List.copyOf(all);
  }

  /** The cases of every module. */
  static List<FaultCase> all() {
    List<FaultCase> all = new ArrayList<>(CoreFaults.all());
    all.addAll(GrpoFaults.all());
    all.addAll(examples());
    return List.copyOf(all);
  }
}

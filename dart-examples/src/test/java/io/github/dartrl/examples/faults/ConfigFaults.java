package io.github.dartrl.examples.faults;

import static io.github.dartrl.core.faults.FaultCase.of;
import static io.github.dartrl.core.faults.FaultCase.throwsA;

import io.github.dartrl.core.faults.Category;
import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.examples.quickstart.QuickstartConfig;
import java.util.List;

/**
 * Out-of-range values in the configuration records (validated in their compact constructors): the
 * message must name the field, the expected range and the value found. This module's configs: the
 * quickstart's.
 */
final class ConfigFaults {
  private ConfigFaults() {}

  private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
  private static final FaultCase.Arrange NOTHING = w -> {};

  static List<FaultCase> cases() {
    Category c = Category.CONFIG;
    return List.of(
        of(
            "quickstart-eval-limit-negative",
            c,
            "QuickstartConfig evalLimit -1",
            NOTHING,
            w -> QuickstartConfig.smoke().withEvalLimit(-1),
            throwsA(IAE, "evalLimit must be >= 0 (0 = all), got -1")));
  }
}

package io.github.dartrl.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.core.faults.Category;
import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.core.faults.FaultSuite;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link FaultSuite} over the command line and the examples' configs, and the check of the whole
 * catalog: dart-core's and dart-grpo's cases run in their own modules, and together with these they
 * cover every category and are exactly what docs/reliability.md lists.
 */
class CliFaultSuiteTest extends FaultSuite {
  @Override
  protected List<FaultCase> cases() {
    return FaultCatalog.examples();
  }

  @Override
  protected String module() {
    return "dart-examples";
  }

  @Test
  void catalogCoversEveryCategoryWithDistinctNames() {
    List<FaultCase> all = FaultCatalog.all();
    assertThat(all).hasSizeGreaterThanOrEqualTo(40);
    FaultSuite.assertDistinctNames(all);
    Set<Category> covered = all.stream().map(FaultCase::category).collect(Collectors.toSet());
    assertThat(covered).isEqualTo(EnumSet.allOf(Category.class));
  }

  /** docs/reliability.md must list every case (and no case that no longer exists). */
  @Test
  void docsListEveryCase() throws Exception {
    Set<String> cases =
        FaultCatalog.all().stream().map(FaultCase::name).collect(Collectors.toSet());
    assertThat(FaultSuite.listedInDocs()).isEqualTo(cases);
  }
}

package io.github.dartrl.examples.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dartrl.core.faults.Category;
import io.github.dartrl.core.faults.FaultCase;
import io.github.dartrl.core.faults.FaultSuite;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite over the command line and the examples' configs ({@link FaultSuite} runs each
 * case), and the check of the whole catalog: dart-core's and dart-grpo's cases run in their own
 * modules, and together with these they cover every category and are exactly what
 * docs/reliability.md lists.
 */
class CliFaultSuiteTest {
  @TempDir static Path shared;
  private static FaultSuite suite;

  @BeforeAll
  static void suite() {
    suite = new FaultSuite(shared);
  }

  @TestFactory
  Stream<DynamicTest> everyFaultFailsCleanly() {
    return suite.tests(FaultCatalog.examples());
  }

  @AfterAll
  static void report() throws Exception {
    suite.writeReport(FaultCatalog.examples(), "dart-examples");
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

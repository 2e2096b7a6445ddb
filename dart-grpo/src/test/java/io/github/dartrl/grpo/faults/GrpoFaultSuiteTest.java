package io.github.dartrl.grpo.faults;

import io.github.dartrl.core.faults.FaultSuite;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The fault suite over dart-grpo's inputs ({@link GrpoFaults}); see {@link FaultSuite}. */
class GrpoFaultSuiteTest {
  @TempDir static Path shared;
  private static FaultSuite suite;

  @BeforeAll
  static void suite() {
    suite = new FaultSuite(shared);
  }

  @TestFactory
  Stream<DynamicTest> everyFaultFailsCleanly() {
    return suite.tests(GrpoFaults.all());
  }

  @AfterAll
  static void report() throws Exception {
    suite.writeReport(GrpoFaults.all(), "dart-grpo");
  }

  @Test
  void namesAreDistinctAndListedInTheDocs() throws Exception {
    FaultSuite.assertDistinctNames(GrpoFaults.all());
    FaultSuite.assertListedInDocs(GrpoFaults.all());
  }
}

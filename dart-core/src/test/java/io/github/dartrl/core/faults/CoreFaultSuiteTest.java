package io.github.dartrl.core.faults;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The fault suite over dart-core's inputs ({@link CoreFaults}); see {@link FaultSuite}. */
class CoreFaultSuiteTest {
  @TempDir static Path shared;
  private static FaultSuite suite;

  @BeforeAll
  static void suite() {
    suite = new FaultSuite(shared);
  }

  @TestFactory
  Stream<DynamicTest> everyFaultFailsCleanly() {
    return suite.tests(CoreFaults.all());
  }

  @AfterAll
  static void report() throws Exception {
    suite.writeReport(CoreFaults.all(), "dart-core");
  }

  @Test
  void namesAreDistinctAndListedInTheDocs() throws Exception {
    FaultSuite.assertDistinctNames(CoreFaults.all());
    FaultSuite.assertListedInDocs(CoreFaults.all());
  }
}

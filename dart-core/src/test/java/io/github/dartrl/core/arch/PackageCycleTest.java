package io.github.dartrl.core.arch;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages of dart-core's main code form no cycle: each one can be read (and moved) knowing
 * only the packages below it.
 */
class PackageCycleTest {

  @Test
  void mainPackagesAreFreeOfCycles() {
    var classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("io.github.dartrl.core");
    ArchAssert.assertHolds(
        slices().matching("io.github.dartrl.core.(*)..").should().beFreeOfCycles(), classes);
  }
}

package io.github.dartrl.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Process-wide switches (system properties, environment variables) belong to the application: the
 * command line ({@code examples.cli}), the benchmark mains ({@code examples.bench}) and the native
 * switches they apply ({@link NativeEnvironment}, the one place that calls libc's setenv, used by
 * {@link HugePages} and {@link MklCnrMode}). No library class may set one: a library user's JVM is
 * not ours to reconfigure.
 */
class ProcessWideSwitchesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    ImportOption mainOnly =
        location -> !location.contains("/test-classes/") && !location.contains("-tests.jar");
    classes = new ClassFileImporter().withImportOption(mainOnly).importPackages("io.github.dartrl");
    // every module must be in the import, or the rules below would pass vacuously
    for (String module :
        Set.of(
            "io.github.dartrl.core.model.DecoderModel",
            "io.github.dartrl.grpo.train.Trainer",
            "io.github.dartrl.leas.report.Charts",
            "io.github.dartrl.examples.cli.DartCli")) {
      if (classes.stream().noneMatch(c -> c.getName().equals(module))) {
        throw new AssertionError(module + " was not imported");
      }
    }
  }

  @Test
  void onlyTheCommandLineAndTheBenchmarksSetSystemProperties() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "io.github.dartrl.examples.cli..", "io.github.dartrl.examples.bench..")
        .should()
        .callMethod(System.class, "setProperty", String.class, String.class)
        .orShould()
        .callMethod(System.class, "clearProperty", String.class)
        .orShould()
        .callMethod(System.class, "setProperties", Properties.class)
        .check(classes);
  }

  @Test
  void onlyNativeEnvironmentSetsEnvironmentVariables() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(NativeEnvironment.class.getName())
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "setenv, unsetenv or putenv",
                (JavaCall<?> call) ->
                    Set.of("setenv", "unsetenv", "putenv").contains(call.getName())))
        .check(classes);
  }
}

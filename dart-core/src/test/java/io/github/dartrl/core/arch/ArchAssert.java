package io.github.dartrl.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

/** Architecture rules as AssertJ assertions: a violation fails with ArchUnit's full report. */
public final class ArchAssert {
  private ArchAssert() {}

  /** Asserts that {@code rule} holds on {@code classes}, naming every violation if it does not. */
  public static void assertHolds(ArchRule rule, JavaClasses classes) {
    EvaluationResult result = rule.evaluate(classes);
    assertThat(result.hasViolation()).as("%s", result.getFailureReport()).isFalse();
  }
}

package io.github.dartrl.grpo.arch;

import io.github.dartrl.core.arch.ArchAssert;
import io.github.dartrl.core.arch.ScalarOperandRule;
import org.junit.jupiter.api.Test;

/** dart-grpo's main code obeys {@link ScalarOperandRule} (no DJL {@code op(Number)} arithmetic). */
class ScalarOperandRuleTest {

  @Test
  void mainCodeUsesNoJavaBackedScalarOperands() {
    ArchAssert.assertHolds(
        ScalarOperandRule.rule(), ScalarOperandRule.mainClassesOf("io.github.dartrl.grpo"));
  }
}

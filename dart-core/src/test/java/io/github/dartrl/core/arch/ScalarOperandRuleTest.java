package io.github.dartrl.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * dart-core's main code obeys {@link ScalarOperandRule}; the rule itself catches what it should.
 */
class ScalarOperandRuleTest {

  @Test
  void mainCodeUsesNoJavaBackedScalarOperands() {
    ScalarOperandRule.rule().check(ScalarOperandRule.mainClassesOf("io.github.dartrl.core"));
  }

  @Test
  void ruleCatchesEveryWrappingOverloadAndNothingElse() {
    var classes = new ClassFileImporter().importClasses(Offender.class, Innocent.class);
    var result = ScalarOperandRule.rule().evaluate(classes);
    String report = String.join("\n", result.getFailureReport().getDetails());
    assertThat(report)
        .contains("NDArray.mul(java.lang.Number)")
        .contains("NDArray.div(java.lang.Number)")
        .contains("NDArray.add(java.lang.Number)")
        .contains("NDArray.maximum(java.lang.Number)")
        .contains("NDArray.muli(java.lang.Number)")
        .contains("NDArrays.pow(java.lang.Number, ai.djl.ndarray.NDArray)")
        .doesNotContain("Innocent");
    assertThat(result.getFailureReport().getDetails()).hasSize(6);
  }

  /** Never run: bytecode for the rule to judge. */
  @SuppressWarnings("unused")
  static final class Offender {
    static void offend(NDArray x) {
      x.mul(2f);
      x.div(3);
      x.add(1.0);
      x.maximum(0f);
      x.muli(0.5);
      NDArrays.pow(2, x);
    }
  }

  /** Never run: tensor-tensor ops, comparisons and clip create no Java-backed operand. */
  @SuppressWarnings("unused")
  static final class Innocent {
    static void innocent(NDArray x, NDArray y, java.util.List<Integer> list) {
      x.mul(y);
      x.div(y);
      x.gt(0f);
      x.clip(0, 1);
      list.add(3);
      Math.max(1, 2);
    }
  }
}

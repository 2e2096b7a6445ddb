package io.github.dartrl.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import io.github.dartrl.core.model.Scalars;
import java.util.Set;

/**
 * The {@link Scalars} rule as a bytecode check: main code never calls a DJL arithmetic overload
 * that takes a {@link Number}.
 *
 * <p>DJL 0.36's PyTorch engine implements every {@code NDArray op(Number)} below (and the static
 * {@link NDArrays} twins) as "wrap the number in a Java-backed 0-dim tensor, run the tensor op,
 * close the wrapper". When the result takes part in a backward pass, PyTorch may have saved that
 * operand (mul, div, pow, mod, maximum, minimum do), and backward then reads freed memory. {@code
 * add} and {@code sub} happen not to save it today, but whether a call site is differentiable is
 * not visible in bytecode, so the rule forbids the whole family and {@link Scalars} offers safe
 * replacements for each. Comparisons ({@code eq}, {@code gt}, ...) are not covered: their boolean
 * output never takes part in a backward pass. {@code clip(Number, Number)} and {@code
 * percentile(Number)} pass the numbers to libtorch as values and create no tensor.
 *
 * <p>ArchUnit resolves each call's declared target type, so the check is type-accurate: {@code
 * List.add(x)} or {@code Math.max(a, b)} never match, and a call through {@code PtNDArray} does.
 */
public final class ScalarOperandRule {
  /** The DJL arithmetic methods whose {@code Number} overloads wrap a Java scalar tensor. */
  public static final Set<String> WRAPPING_OPS =
      Set.of(
          "add", "sub", "mul", "div", "mod", "pow", "addi", "subi", "muli", "divi", "modi", "powi",
          "maximum", "minimum");

  private ScalarOperandRule() {}

  /** The rule over the given classes; {@link Scalars} itself is the one allowed caller. */
  public static ArchRule rule() {
    return noClasses()
        .that()
        .doNotBelongToAnyOf(Scalars.class)
        .should()
        .callMethodWhere(WRAPS_JAVA_SCALAR)
        .because(
            "DJL wraps the Number in a Java-backed tensor and frees it right after the op while"
                + " autograd may keep it for backward; use io.github.dartrl.core.model.Scalars");
  }

  /** Main (non-test) classes of one module's root package, e.g. {@code io.github.dartrl.grpo}. */
  public static JavaClasses mainClassesOf(String rootPackage) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages(rootPackage);
  }

  /** Calls of an NDArray/NDArrays arithmetic overload that has a {@code Number} parameter. */
  static final DescribedPredicate<JavaMethodCall> WRAPS_JAVA_SCALAR =
      new DescribedPredicate<>("an ai.djl.ndarray arithmetic overload taking a java.lang.Number") {
        @Override
        public boolean test(JavaMethodCall call) {
          var target = call.getTarget();
          JavaClass owner = target.getOwner();
          boolean djlArray =
              owner.isAssignableTo(NDArray.class) || owner.isEquivalentTo(NDArrays.class);
          return djlArray
              && WRAPPING_OPS.contains(target.getName())
              && target.getRawParameterTypes().stream()
                  .anyMatch(type -> type.isEquivalentTo(Number.class));
        }
      };
}

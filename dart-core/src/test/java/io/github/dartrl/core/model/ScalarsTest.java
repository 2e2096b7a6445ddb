package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

/** The scalar helpers: values, dtypes, gradients, and no scalar left behind in the manager. */
class ScalarsTest {

  @Test
  void arithmeticMatchesJavaAndKeepsTheOperandsDtype() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1f, -2f, 3.5f});
      assertThat(Scalars.add(x, 0.5).toFloatArray()).containsExactly(1.5f, -1.5f, 4f);
      assertThat(Scalars.sub(x, 1).toFloatArray()).containsExactly(0f, -3f, 2.5f);
      assertThat(Scalars.mul(x, 2).toFloatArray()).containsExactly(2f, -4f, 7f);
      assertThat(Scalars.div(x, 2).toFloatArray()).containsExactly(0.5f, -1f, 1.75f);
      assertThat(Scalars.maximum(x, 0).toFloatArray()).containsExactly(1f, 0f, 3.5f);
      assertThat(Scalars.minimum(x, 0).toFloatArray()).containsExactly(0f, -2f, 0f);
      assertThat(Scalars.mul(x, 2).getDataType()).isEqualTo(DataType.FLOAT32);

      NDArray d = m.create(new double[] {1.0});
      assertThat(Scalars.add(d, 1e-12).toDoubleArray()[0]).isEqualTo(1.0 + 1e-12);
      NDArray ids = m.create(new long[] {3, 4});
      assertThat(Scalars.add(ids, 2).getDataType()).isEqualTo(DataType.INT64);
      assertThat(Scalars.add(ids, 2).toLongArray()).containsExactly(5, 6);
      assertThatThrownBy(() -> Scalars.mul(ids, 0.5))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("int64");
    }
  }

  @Test
  void inPlaceVariantsWriteIntoTheOperandAndLeaveNoScalarInItsManager() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {2f, 4f});
      int before = m.getManagedArrays().size();
      assertThat(Scalars.muli(x, 3)).isSameAs(x);
      Scalars.divi(x, 2);
      Scalars.addi(x, 1);
      Scalars.subi(x, 0.5);
      assertThat(x.toFloatArray()).containsExactly(3.5f, 6.5f);
      assertThat(m.getManagedArrays()).hasSize(before);
    }
  }

  @Test
  void gradientsFlowThroughTheClosedScalar() {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.create(new float[] {1f, 2f});
      x.setRequiresGradient(true);
      try (GradientCollector c = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        NDArray y = Scalars.div(Scalars.mul(x, 3).square(), 2).sum(); // sum((3x)^2 / 2)
        System.gc(); // the scalars' Java handles are gone; libtorch's copies must not be
        c.backward(y);
      }
      assertThat(x.getGradient().toFloatArray()).containsExactly(9f, 18f); // 9x
    }
  }
}

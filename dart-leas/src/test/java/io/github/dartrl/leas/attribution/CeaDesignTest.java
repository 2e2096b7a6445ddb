package io.github.dartrl.leas.attribution;

import static io.github.dartrl.leas.variant.CeaModel.BASE;
import static io.github.dartrl.leas.variant.CeaModel.H_REAS;
import static io.github.dartrl.leas.variant.CeaModel.H_TOOL;
import static io.github.dartrl.leas.variant.CeaModel.REAS;
import static io.github.dartrl.leas.variant.CeaModel.TOOL;
import static io.github.dartrl.leas.variant.CeaModel.UNIFIED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CeaDesignTest {

  @Test
  void designRowsAreThePapersCapabilityVectors() {
    double[][] x = CeaDesign.matrix();
    assertThat(x[BASE.ordinal()]).containsExactly(1, 0, 0, 0, 0, 0);
    assertThat(x[REAS.ordinal()]).containsExactly(1, 0, 1, 0, 1, 0);
    assertThat(x[TOOL.ordinal()]).containsExactly(1, 1, 0, 1, 0, 0);
    assertThat(x[UNIFIED.ordinal()]).containsExactly(1, 1, 1, 1, 1, 1);
    assertThat(x[H_TOOL.ordinal()]).containsExactly(1, 1, 0, 0, 0, 0);
    assertThat(x[H_REAS.ordinal()]).containsExactly(1, 0, 1, 0, 0, 0);
  }

  @Test
  void inverseIsAnExactIntegerInverse() {
    double[][] x = CeaDesign.matrix();
    double[][] inv = CeaDesign.inverse();
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        double s = 0;
        for (int k = 0; k < 6; k++) {
          s += x[i][k] * inv[k][j];
        }
        assertThat(s).isEqualTo(i == j ? 1.0 : 0.0);
        assertThat(inv[i][j]).isEqualTo(Math.rint(inv[i][j]));
      }
    }
  }

  /**
   * The closed forms, derived from the rows: z_Base = λ1; z_HTool = λ1 + λ2; z_HReas = λ1 + λ3;
   * z_Tool = z_HTool + λ12; z_Reas = z_HReas + λ13; z_Unified = z_Tool + z_Reas − z_Base + λ23.
   */
  @Test
  void solvingReproducesTheClosedFormsOnRandomLogits() {
    SplittableRandom rng = new SplittableRandom(11);
    double[][] z = new double[200][6];
    for (double[] row : z) {
      for (int m = 0; m < 6; m++) {
        row[m] = rng.nextDouble(-6, 6);
      }
    }
    double[][] lambda = CeaDesign.solveAll(z);
    for (int q = 0; q < z.length; q++) {
      double[] v = z[q];
      double[] l = lambda[q];
      double b = v[BASE.ordinal()];
      double r = v[REAS.ordinal()];
      double t = v[TOOL.ordinal()];
      double u = v[UNIFIED.ordinal()];
      double ht = v[H_TOOL.ordinal()];
      double hr = v[H_REAS.ordinal()];
      assertThat(l[Coefficient.L1.ordinal()]).isCloseTo(b, within(1e-12));
      assertThat(l[Coefficient.L2.ordinal()]).isCloseTo(ht - b, within(1e-12));
      assertThat(l[Coefficient.L3.ordinal()]).isCloseTo(hr - b, within(1e-12));
      assertThat(l[Coefficient.L12.ordinal()]).isCloseTo(t - ht, within(1e-12));
      assertThat(l[Coefficient.L13.ordinal()]).isCloseTo(r - hr, within(1e-12));
      assertThat(l[Coefficient.L23.ordinal()]).isCloseTo(u - t - r + b, within(1e-12));
      // and X λ = z
      double[][] x = CeaDesign.matrix();
      for (int m = 0; m < 6; m++) {
        double s = 0;
        for (int c = 0; c < 6; c++) {
          s += x[m][c] * l[c];
        }
        assertThat(s).isCloseTo(v[m], within(1e-12));
      }
    }
    assertThat(CeaDesign.solve(z[0])).containsExactly(lambda[0]);
  }
}

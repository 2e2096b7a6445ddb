package io.github.dartrl.leas.attribution;

import io.github.dartrl.leas.variant.CeaModel;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * The fixed 6×6 design of CEA: row {@link CeaModel#ordinal()} is that model's capability vector,
 * column {@link Coefficient#ordinal()} that coefficient. Per question, {@code z = Xλ} is exactly
 * determined, so {@code λ = X⁻¹z} (a separate solve per question, no regression across questions).
 *
 * <pre>
 *              λ1 λ2 λ3 λ12 λ13 λ23
 *   Base     [  1  0  0  0   0   0 ]
 *   Reas     [  1  0  1  0   1   0 ]
 *   Tool     [  1  1  0  1   0   0 ]
 *   Unified  [  1  1  1  1   1   1 ]
 *   H_Tool   [  1  1  0  0   0   0 ]
 *   H_Reas   [  1  0  1  0   0   0 ]
 * </pre>
 *
 * Its inverse gives the closed forms λ1 = z_Base, λ2 = z_HTool − z_Base, λ3 = z_HReas − z_Base, λ12
 * = z_Tool − z_HTool, λ13 = z_Reas − z_HReas, λ23 = z_Unified − z_Tool − z_Reas + z_Base.
 *
 * <p>Commons Math computes X⁻¹ once (LU inverse, in double) and every question's λ in one matrix
 * product {@code Λ = Z X⁻ᵀ}, in pure Java: a 6×6 system needs no native linear algebra
 * (docs/architecture.md).
 */
public final class CeaDesign {
  private static volatile double[][] inverse;

  private CeaDesign() {}

  /** X (a fresh copy), rows in {@link CeaModel} order. */
  public static double[][] matrix() {
    double[][] x = new double[CeaModel.values().length][];
    for (CeaModel m : CeaModel.values()) {
      x[m.ordinal()] = m.capabilities();
    }
    return x;
  }

  /** X⁻¹ (a fresh copy), computed once by LU decomposition. */
  public static double[][] inverse() {
    double[][] inv = inverse;
    if (inv == null) {
      synchronized (CeaDesign.class) {
        inv = inverse;
        if (inv == null) {
          RealMatrix x = MatrixUtils.createRealMatrix(matrix());
          inv = new LUDecomposition(x).getSolver().getInverse().getData();
          // X is unimodular (det = ±1), so X⁻¹ is an integer matrix: snap the LU round-off away so
          // the closed forms hold exactly, after checking nothing else was off
          for (double[] row : inv) {
            for (int j = 0; j < row.length; j++) {
              double r = Math.rint(row[j]);
              if (Math.abs(row[j] - r) > 1e-9) {
                throw new IllegalStateException("X⁻¹ is not integral: " + row[j]);
              }
              row[j] = r;
            }
          }
          inverse = inv;
        }
      }
    }
    double[][] copy = new double[inv.length][];
    for (int i = 0; i < inv.length; i++) {
      copy[i] = inv[i].clone();
    }
    return copy;
  }

  /**
   * λ for every question: row q of the result is {@code X⁻¹ z_q}.
   *
   * @param z one row per question, six logits each in {@link CeaModel} order
   */
  public static double[][] solveAll(double[][] z) {
    if (z.length == 0) {
      return new double[0][];
    }
    for (double[] row : z) {
      if (row.length != CeaModel.values().length) {
        throw new IllegalArgumentException("each z row needs six logits, got " + row.length);
      }
    }
    RealMatrix zs = MatrixUtils.createRealMatrix(z); // [Q, 6]
    RealMatrix xInvT = MatrixUtils.createRealMatrix(inverse()).transpose(); // [6, 6]
    return zs.multiply(xInvT).getData(); // [Q, 6]
  }

  /** λ for one question's logits. */
  public static double[] solve(double[] z) {
    return solveAll(new double[][] {z})[0];
  }
}

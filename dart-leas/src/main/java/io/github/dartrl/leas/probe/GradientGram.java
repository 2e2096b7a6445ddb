package io.github.dartrl.leas.probe;

import java.util.List;

/**
 * The Gram matrices of a list of gradients, one per parameter group: {@code dot(g, i, j) = ⟨v_i,
 * v_j⟩} restricted to group g. Every inner product of sums of these vectors is a sum of entries,
 * {@code ⟨Σ_{a∈S} v_a, Σ_{b∈T} v_b⟩ = Σ_{a∈S} Σ_{b∈T} G[a][b]}, so once the n(n+1)/2 dot products
 * over the P parameters are paid, any number of random splits costs O(n²) each and no pass over the
 * parameters.
 */
public final class GradientGram {
  private final double[][][] dots; // [group][i][j], symmetric

  private GradientGram(double[][][] dots) {
    this.dots = dots;
  }

  /** Computes every dot product of {@code vectors} (same layout), per parameter group. */
  public static GradientGram of(List<FlatGradient> vectors) {
    if (vectors.isEmpty()) {
      throw new IllegalArgumentException("no gradients");
    }
    int n = vectors.size();
    int groups = vectors.get(0).layout().groups();
    double[][][] d = new double[groups][n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double[] dij = vectors.get(i).dots(vectors.get(j));
        for (int g = 0; g < groups; g++) {
          d[g][i][j] = dij[g];
          d[g][j][i] = dij[g];
        }
      }
    }
    return new GradientGram(d);
  }

  /** Number of vectors. */
  public int size() {
    return dots[0].length;
  }

  /** Number of parameter groups. */
  public int groups() {
    return dots.length;
  }

  /**
   * {@code ⟨Σ_{a∈left} v_a, Σ_{b∈right} v_b⟩} per parameter group (element g) and over all groups
   * (the last element).
   */
  public double[] dot(int[] left, int[] right) {
    double[] out = new double[dots.length + 1];
    for (int g = 0; g < dots.length; g++) {
      double s = 0;
      double[][] m = dots[g];
      for (int a : left) {
        double[] row = m[a];
        for (int b : right) {
          s += row[b];
        }
      }
      out[g] = s;
      out[dots.length] += s;
    }
    return out;
  }
}

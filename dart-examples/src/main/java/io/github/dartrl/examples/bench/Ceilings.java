package io.github.dartrl.examples.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.examples.harness.MarkdownTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * This machine's ceilings through libtorch: fp32 GEMM GFLOP/s ({@code n × n} by {@code n × n}) and
 * GEMV bandwidth (a {@code [1, in]} row times a weight {@code [out, in]} that does not fit in
 * cache, as the decoder's projections read it: GB/s = weight bytes / time).
 *
 * @param gemm one row per size: n, ms, GFLOP/s
 * @param gemv one row per shape: out, in, ms, GB/s
 */
record Ceilings(List<double[]> gemm, List<double[]> gemv) {

  /** Best GEMM GFLOP/s over the sizes. */
  double gemmGflops() {
    return gemm.stream().mapToDouble(r -> r[2]).max().orElse(Double.NaN);
  }

  /** Best GEMV GB/s over the shapes. */
  double gemvGbs() {
    return gemv.stream().mapToDouble(r -> r[3]).max().orElse(Double.NaN);
  }

  static Ceilings measure(NDManager root, List<Integer> sizes, int reps) {
    List<double[]> gemm = new ArrayList<>();
    List<double[]> gemv = new ArrayList<>();
    try (GradMode off = GradMode.disabled()) {
      for (int n : sizes) {
        try (NDManager m = root.newSubManager()) {
          NDArray a = m.randomNormal(new Shape(n, n));
          NDArray b = m.randomNormal(new Shape(n, n));
          double ms = Samples.medianMs(() -> a.matMul(b).close(), 1, n <= 1024 ? 5 * reps : reps);
          gemm.add(new double[] {n, ms, 2.0 * n * n * n / (ms * 1e6)});
        }
      }
      int scale = sizes.get(sizes.size() - 1) >= 1024 ? 1 : 16; // quick runs: small shapes
      int[][] shapes = {{16384 / scale, 2048 / scale}, {32000 / scale, 512 / scale}};
      for (int[] s : shapes) {
        try (NDManager m = root.newSubManager()) {
          NDArray w = m.randomNormal(new Shape(s[0], s[1]));
          NDArray x = m.randomNormal(new Shape(1, s[1]));
          double ms =
              Samples.medianMs(() -> Linear.linear(x, w).singletonOrThrow().close(), 2, 10 * reps);
          double bytes = 4.0 * s[0] * s[1];
          gemv.add(new double[] {s[0], s[1], ms, bytes / (ms * 1e6)});
        }
      }
    }
    return new Ceilings(gemm, gemv);
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    MarkdownTable gemmTable = new MarkdownTable().right("GEMM n", "ms", "GFLOP/s");
    for (double[] r : gemm) {
      gemmTable.row((int) r[0], f("%.2f", r[1]), f("%.1f", r[2]));
    }
    sb.append("### Ceilings (libtorch, fp32)\n\n").append(gemmTable);
    MarkdownTable gemvTable = MarkdownTable.labelled("GEMV weight [out, in]", "MB", "ms", "GB/s");
    for (double[] r : gemv) {
      gemvTable.row(
          f("[%d, %d]", (int) r[0], (int) r[1]),
          f("%.0f", 4.0 * r[0] * r[1] / 1e6),
          f("%.2f", r[2]),
          f("%.1f", r[3]));
    }
    sb.append('\n').append(gemvTable);
    sb.append(
        String.format(
            Locale.ROOT,
            "%nGEMM ceiling **%.1f GFLOP/s**, GEMV bandwidth **%.1f GB/s** (best of the rows).%n%n",
            gemmGflops(),
            gemvGbs()));
    return sb.toString();
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

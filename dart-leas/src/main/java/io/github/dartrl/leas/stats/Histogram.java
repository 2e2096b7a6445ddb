package io.github.dartrl.leas.stats;

/**
 * Counts of values in equal-width bins over {@code [lo, hi]}. Bin {@code i} is {@code [edges[i],
 * edges[i+1])}; the last bin also holds {@code hi}. Values outside the range are counted in {@code
 * below}/{@code above}, not dropped silently.
 *
 * @param edges bins + 1 ascending bin edges
 * @param counts values per bin
 * @param below values smaller than {@code lo}
 * @param above values larger than {@code hi}
 */
public record Histogram(double[] edges, int[] counts, int below, int above) {

  public Histogram {
    if (edges.length != counts.length + 1) {
      throw new IllegalArgumentException("need bins + 1 edges");
    }
  }

  /** Bins {@code values} into {@code bins} equal bins over {@code [lo, hi]}. */
  public static Histogram of(double[] values, double lo, double hi, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("need at least one bin, got " + bins);
    }
    if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
      throw new IllegalArgumentException("need finite lo < hi, got [" + lo + ", " + hi + "]");
    }
    double[] edges = new double[bins + 1];
    for (int i = 0; i <= bins; i++) {
      edges[i] = lo + (hi - lo) * i / bins;
    }
    int[] counts = new int[bins];
    int below = 0;
    int above = 0;
    for (double v : values) {
      if (v < lo) {
        below++;
      } else if (v > hi) {
        above++;
      } else {
        counts[binOf(v, lo, hi, bins)]++;
      }
    }
    return new Histogram(edges, counts, below, above);
  }

  /**
   * A histogram symmetric around 0 whose range covers every value and has 0 as a bin edge (so
   * negative and positive values never share a bin): {@code bins} is rounded up to an even number.
   */
  public static Histogram symmetric(double[] values, int bins) {
    double m = 0;
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException("cannot bin non-finite value " + v);
      }
      m = Math.max(m, Math.abs(v));
    }
    if (m == 0) {
      m = 1;
    }
    int even = bins + (bins % 2);
    return of(values, -m, m, even);
  }

  /** The bin index of {@code v} in {@code [lo, hi]} (clamped). */
  public static int binOf(double v, double lo, double hi, int bins) {
    int i = (int) Math.floor((v - lo) / (hi - lo) * bins);
    return Math.max(0, Math.min(bins - 1, i));
  }

  /** Number of bins. */
  public int bins() {
    return counts.length;
  }

  /** Centre of bin {@code i}. */
  public double center(int i) {
    return (edges[i] + edges[i + 1]) / 2;
  }

  /** Values counted in bins (excludes below/above). */
  public int total() {
    int t = 0;
    for (int c : counts) {
      t += c;
    }
    return t;
  }
}

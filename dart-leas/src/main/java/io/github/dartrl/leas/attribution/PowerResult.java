package io.github.dartrl.leas.attribution;

import java.util.List;

/**
 * A λ23 power simulation's result.
 *
 * @param config the settings
 * @param questions questions of the truth (the measured table's kept questions)
 * @param measuredSamples N of the measured table (its most common per-variant N)
 * @param measuredFraction the measured table's own fraction λ23 &lt; 0 (on its kept questions)
 * @param cells one per grid cell, in the order samples × deltas × shares
 */
public record PowerResult(
    PowerConfig config,
    int questions,
    int measuredSamples,
    double measuredFraction,
    List<PowerCell> cells) {

  public PowerResult {
    cells = List.copyOf(cells);
  }

  /** The cell of one grid point. */
  public PowerCell cell(int samples, double delta, double share) {
    for (PowerCell c : cells) {
      if (c.samples() == samples && c.delta() == delta && c.share() == share) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "no cell N=" + samples + ", delta=" + delta + ", share=" + share);
  }
}

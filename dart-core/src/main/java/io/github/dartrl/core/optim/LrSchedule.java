package io.github.dartrl.core.optim;

/**
 * Learning rate per optimizer step: linear warm-up from 0 to {@code peak} over {@code warmupSteps},
 * then constant or cosine decay to {@code peak * minRatio} at {@code totalSteps}.
 *
 * @param peak learning rate after warm-up
 * @param warmupSteps steps of linear warm-up (0 = none)
 * @param totalSteps planned steps (cosine reaches its floor there)
 * @param cosine cosine decay after warm-up; otherwise constant
 * @param minRatio floor of the cosine decay as a fraction of peak
 */
public record LrSchedule(
    double peak, int warmupSteps, int totalSteps, boolean cosine, double minRatio) {

  public LrSchedule {
    if (!(peak > 0) || Double.isInfinite(peak)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + peak);
    }
    if (warmupSteps < 0 || totalSteps <= 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException(
          "need 0 <= warmupSteps <= totalSteps and totalSteps > 0, got "
              + warmupSteps
              + ", "
              + totalSteps);
    }
    if (!(minRatio >= 0 && minRatio <= 1)) {
      throw new IllegalArgumentException("minRatio must be in [0, 1], got " + minRatio);
    }
  }

  /**
   * Constant rate after a warm-up of {@code warmupRatio * totalSteps} steps (verl's default shape).
   */
  public static LrSchedule constant(double peak, double warmupRatio, int totalSteps) {
    return new LrSchedule(peak, (int) Math.floor(warmupRatio * totalSteps), totalSteps, false, 0);
  }

  /** Cosine decay to {@code minRatio * peak} after warm-up. */
  public static LrSchedule cosine(
      double peak, double warmupRatio, int totalSteps, double minRatio) {
    return new LrSchedule(
        peak, (int) Math.floor(warmupRatio * totalSteps), totalSteps, true, minRatio);
  }

  /** Rate for 0-based optimizer step {@code step}. */
  public double at(int step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / (warmupSteps + 1.0);
    }
    if (!cosine) {
      return peak;
    }
    double progress =
        Math.min(1.0, (step - warmupSteps) / (double) Math.max(1, totalSteps - warmupSteps));
    return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}

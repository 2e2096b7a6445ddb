package io.github.dartrl.grpo.train;

import io.github.dartrl.grpo.metrics.StepMetrics;
import java.nio.file.Path;

/** Callbacks from {@link Trainer#fit()}; every method is optional. */
public interface TrainerListener {
  /** After each GRPO step, with its metrics. */
  default void onStep(StepMetrics metrics) {}

  /** After each evaluation. */
  default void onEvaluation(int step, EvalResult result) {}

  /** After a checkpoint is complete on disk. */
  default void onCheckpoint(int step, Path dir) {}

  /** When {@link Trainer#fit()} (or {@code fitUntil}) returns, with what it did. */
  default void onFitEnd(TrainResult result) {}
}

package io.github.dartrl.grpo.train;

import io.github.dartrl.grpo.metrics.StepMetrics;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Trainer#fit()} did.
 *
 * @param steps GRPO steps completed in total (including those before a resume)
 * @param history metrics of every step in the run directory
 * @param lastEvaluation the last evaluation, or null if none ran
 * @param lastCheckpoint the last checkpoint written, or null
 */
public record TrainResult(
    int steps, List<StepMetrics> history, EvalResult lastEvaluation, Path lastCheckpoint) {}

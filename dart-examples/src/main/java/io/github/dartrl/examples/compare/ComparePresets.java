package io.github.dartrl.examples.compare;

import io.github.dartrl.examples.quickstart.QuickstartConfig;
import java.util.Arrays;
import java.util.List;

/** The named compare configurations; every knob of the measured run is here, at the top. */
final class ComparePresets {
  private ComparePresets() {}

  /** Seeds of the default run. */
  static final List<Long> SEEDS = List.of(1L, 2L);

  /** The whole comparison's default time budget (it scales the step count down uniformly). */
  static final double BUDGET_MINUTES = 40;

  static CompareConfig defaults() {
    return new CompareConfig(
        QuickstartConfig.defaults().withBudgetMinutes(BUDGET_MINUTES),
        SEEDS,
        Arrays.asList(CompareMethod.values()),
        CompareConfig.PAPER_FULL_LR_RATIO,
        "em",
        null);
  }

  /**
   * SFT epochs of the smoke run: enough for the d=32 model to write some well-formed turns and
   * answers. (3 sufficed while the format reward also read the corrective message, whose "<answer>
   * and </answer>" paid 0.1; it reads the model's own text now.)
   */
  static final int SMOKE_SFT_EPOCHS = 6;

  /**
   * The quickstart's smoke setup with a longer SFT and the format reward: a d=32 model scores EM 0
   * everywhere, so under EM every group's rewards are equal and nothing would train; the format
   * reward pays for well-formed responses, which the sampled completions differ in.
   */
  static CompareConfig smoke() {
    QuickstartConfig q = QuickstartConfig.smoke();
    return new CompareConfig(
        q.withSft(q.sft().toBuilder().epochs(SMOKE_SFT_EPOCHS).build()),
        List.of(1L),
        Arrays.asList(CompareMethod.values()),
        CompareConfig.PAPER_FULL_LR_RATIO,
        "format",
        null);
  }
}

package io.github.dartrl.core.faults;

import static io.github.dartrl.core.faults.FaultCase.of;
import static io.github.dartrl.core.faults.FaultCase.throwsA;

import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.model.TinyModels;
import java.util.List;
import java.util.Set;

/**
 * Out-of-range values in the configuration records (validated in their compact constructors): the
 * message must name the field, the expected range and the value found. This module's configs:
 * sampling, LoRA, tiny model sizes.
 */
final class ConfigFaults {
  private ConfigFaults() {}

  private static final Class<IllegalArgumentException> IAE = IllegalArgumentException.class;
  private static final FaultCase.Arrange NOTHING = w -> {};

  static List<FaultCase> cases() {
    Category c = Category.CONFIG;
    return List.of(
        of(
            "sampling-temperature-negative",
            c,
            "SamplingParams temperature -1",
            NOTHING,
            w -> new SamplingParams(-1, 0, 1.0, 8, List.of(), Set.of(), 0),
            throwsA(IAE, "temperature must be >= 0, got -1.0")),
        of(
            "lora-rank-0",
            c,
            "LoraConfig rank 0",
            NOTHING,
            w -> new LoraConfig("tool", 0, 16, false, Set.of("q_proj")),
            throwsA(IAE, "LoRA rank must be > 0, got 0")),
        of(
            "tiny-size-odd-head-dim",
            c,
            "TinyModels.Size hidden 12, heads 4 (head dim 3)",
            NOTHING,
            w -> new TinyModels.Size(12, 1, 4, 2, 16, 64),
            throwsA(IAE, "hidden must be a multiple of heads with an even quotient", "hidden 12")));
  }
}

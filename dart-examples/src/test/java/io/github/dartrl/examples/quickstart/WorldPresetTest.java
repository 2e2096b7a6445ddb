package io.github.dartrl.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.examples.world.DemonstrationConfig;
import io.github.dartrl.examples.world.WorldConfig;
import org.junit.jupiter.api.Test;

class WorldPresetTest {

  @Test
  void theDefaultPresetChangesNothing() {
    QuickstartConfig c = QuickstartConfig.defaults();
    assertThat(WorldPreset.DEFAULT.apply(c)).isEqualTo(c);
    assertThat(c.world().aliasIndex()).isFalse();
  }

  @Test
  void theConflictPresetTurnsTheKnobOnAndKeepsTheSize() {
    QuickstartConfig smoke = QuickstartConfig.smoke();
    QuickstartConfig c = WorldPreset.CONFLICT.apply(smoke);
    assertThat(c.world()).isEqualTo(WorldConfig.small().withAliasIndex(true));
    assertThat(c.demonstrations())
        .isEqualTo(DemonstrationConfig.conflict().withSeed(smoke.demonstrations().seed()));
    assertThat(c.sft()).isEqualTo(smoke.sft());
    assertThat(c.grpo()).isEqualTo(smoke.grpo());
    assertThat(WorldPreset.CONFLICT.apply(QuickstartConfig.defaults()).world())
        .isEqualTo(WorldConfig.conflict());
  }

  @Test
  void namesAreLowerCaseAndAnUnknownOneIsNamed() {
    assertThat(WorldPreset.of("conflict")).isEqualTo(WorldPreset.CONFLICT);
    assertThat(WorldPreset.of("default")).isEqualTo(WorldPreset.DEFAULT);
    assertThatThrownBy(() -> WorldPreset.of("bogus"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown world bogus")
        .hasMessageContaining("default, conflict");
  }
}

package io.github.dartrl.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.examples.interference.InterferenceConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** {@code interference}'s options as they reach the job's config (no run). */
class InterferenceCommandTest {

  static InterferenceConfig config(String... args) {
    InterferenceCommand c = new InterferenceCommand();
    new CommandLine(c).parseArgs(args);
    return c.config();
  }

  @Test
  void loraRankAndTargetsSetTheVariantsAdapter() {
    PolicyConfig preset = config("--out", "x").variantPolicy();
    assertThat(preset.rank()).isEqualTo(16);
    assertThat(preset.targetModules()).containsExactlyElementsOf(LoraConfig.ALL_LINEAR);

    PolicyConfig p =
        config("--out", "x", "--seed", "7", "--lora-rank", "2", "--lora-targets", "v_proj,o_proj")
            .variantPolicy();
    assertThat(p.rank()).isEqualTo(2);
    assertThat(p.alpha()).isEqualTo(4.0); // alpha / rank as the preset's: 32 / 16
    assertThat(p.targetModules()).containsExactly("v_proj", "o_proj");
    assertThat(p.seed()).isEqualTo(7); // --seed still reaches the adapter's initialisation
    assertThat(p.method()).isEqualTo(preset.method());
  }

  @Test
  void badRankOrTargetNamesTheOption() {
    assertThatThrownBy(() -> config("--out", "x", "--lora-rank", "0"))
        .isInstanceOf(ParameterException.class)
        .hasMessage("--lora-rank: rank must be > 0, got 0");
    assertThatThrownBy(() -> config("--out", "x", "--lora-targets", "q_proj,wq"))
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("--lora-targets: unknown target module wq; expected some of");
  }
}

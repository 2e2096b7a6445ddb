package io.github.dartrl.core.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.dartrl.core.lora.LoraConfig;
import io.github.dartrl.core.routing.ToolSpan;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The capacity knobs of {@link PolicyConfig}: rank and target modules. */
class PolicyConfigTest {

  @Test
  void withRankChangesCapacityNotTheUpdatesScale() {
    PolicyConfig lora = PolicyConfig.lora(); // rank 16, alpha 32
    PolicyConfig one = lora.withRank(1);
    assertThat(one.rank()).isEqualTo(1);
    assertThat(one.alpha()).isEqualTo(2.0);
    LoraConfig a = lora.adapterConfigs().get(0);
    LoraConfig b = one.adapterConfigs().get(0);
    assertThat(b.rank()).isEqualTo(1);
    assertThat(b.scale()).isCloseTo(a.scale(), within(1e-12));
    // everything else is kept
    assertThat(one.withRank(16)).isEqualTo(lora);
    assertThat(one.targetModules()).isEqualTo(lora.targetModules());
    assertThat(one.seed()).isEqualTo(lora.seed());
    assertThat(PolicyConfig.dart().withRank(2).adapterConfigs())
        .hasSize(2)
        .allSatisfy(c -> assertThat(c.rank()).isEqualTo(2));

    // rsLoRA scales by alpha / √r: alpha follows √r
    PolicyConfig rs =
        new PolicyConfig(
            Method.LORA,
            16,
            32,
            true,
            new LinkedHashSet<>(LoraConfig.ALL_LINEAR),
            List.of(ToolSpan.search()),
            Isolation.SHARED,
            1);
    PolicyConfig rs4 = rs.withRank(4);
    assertThat(rs4.alpha()).isCloseTo(16.0, within(1e-12));
    assertThat(rs4.adapterConfigs().get(0).scale())
        .isCloseTo(rs.adapterConfigs().get(0).scale(), within(1e-12));

    assertThatThrownBy(() -> lora.withRank(0)).hasMessage("rank must be > 0, got 0");
  }

  @Test
  void withTargetsRestrictsTheProjectionsAndNamesAnUnknownOne() {
    PolicyConfig c = PolicyConfig.lora().withTargets(Set.of("v_proj"));
    assertThat(c.adapterConfigs().get(0).targetModules()).containsExactly("v_proj");
    assertThat(c.rank()).isEqualTo(16);
    assertThatThrownBy(() -> PolicyConfig.lora().withTargets(Set.of("v_proj", "wq")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "unknown target module wq; expected some of [q_proj, k_proj, v_proj, o_proj,"
                + " gate_proj, up_proj, down_proj]");
    assertThatThrownBy(() -> PolicyConfig.lora().withTargets(Set.of()))
        .hasMessage("the adapters need at least one target module");
  }
}

package io.github.dartrl.grpo.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dartrl.core.optim.AdamW;
import io.github.dartrl.core.optim.OptimConfig;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.grpo.loss.GrpoLoss;
import io.github.dartrl.grpo.retrieval.RetrieverServerConfig;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.sft.SftConfig;
import io.github.dartrl.grpo.sft.SftTrainer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The generated (AutoBuilder) builders keep the fluent API: the documented defaults, one setter per
 * field, the optimisation setters shared by GRPO and SFT, {@code toBuilder} round trips, validation
 * in the records, and a clear error for a missing required setting.
 */
class ConfigBuildersTest {

  @Test
  void grpoDefaultsAreThePapers() {
    GrpoConfig c = GrpoConfig.builder().build();
    assertThat(c.optim())
        .isEqualTo(new OptimConfig(1e-5, 0.1, false, AdamW.Config.defaults(), 1.0, 8));
    assertThat(c.totalSteps()).isEqualTo(100);
    assertThat(c.promptsPerStep()).isEqualTo(16);
    assertThat(c.groupSize()).isEqualTo(5);
    assertThat(c.updatesPerStep()).isEqualTo(1);
    assertThat(c.loss()).isEqualTo(GrpoLoss.Config.defaults());
    assertThat(c.trainRoles()).containsExactlyInAnyOrder(TokenRole.REASONING, TokenRole.TOOL);
    assertThat(c.rollout()).isEqualTo(RolloutConfig.searchR1());
    assertThat(c.scaleAdvantagesByStd() && c.recomputeOldLogProbs() && c.logEntropy()).isTrue();
    assertThat(new int[] {c.checkpointEvery(), c.keepCheckpoints(), c.evalEvery()})
        .containsExactly(50, 3, 0);
    assertThat(c.evalBatchSize()).isEqualTo(32);
    assertThat(c.seed()).isEqualTo(42);
  }

  @Test
  void sharedOptimisationSettersChangeOnlyTheirFieldAndToBuilderRoundTrips() {
    GrpoConfig c =
        GrpoConfig.builder().totalSteps(7).learningRate(3e-4).microBatchSize(2).seed(9).build();
    assertThat(c.totalSteps()).isEqualTo(7);
    assertThat(c.seed()).isEqualTo(9);
    assertThat(c.optim())
        .isEqualTo(new OptimConfig(3e-4, 0.1, false, AdamW.Config.defaults(), 1.0, 2));
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.toBuilder().warmupRatio(0).build().optim())
        .isEqualTo(new OptimConfig(3e-4, 0, false, AdamW.Config.defaults(), 1.0, 2));

    SftConfig s = SftConfig.builder().epochs(3).cosineSchedule(false).maxGradNorm(0).build();
    assertThat(s)
        .isEqualTo(
            new SftConfig(
                new OptimConfig(1e-3, 0.05, false, AdamW.Config.defaults(), 0, 16), 3, 32, 42, 10));
    assertThat(s.toBuilder().batchSize(4).build().batchSize()).isEqualTo(4);
  }

  @Test
  void wholeOptimConfigIsSetBeforeSingleFields() {
    OptimConfig o = new OptimConfig(2e-5, 0, true, AdamW.Config.defaults(), 0.5, 4);
    assertThat(GrpoConfig.builder().optim(o).learningRate(1e-4).build().optim())
        .isEqualTo(o.toBuilder().learningRate(1e-4).build());
    assertThatThrownBy(() -> SftConfig.builder().learningRate(1e-4).optim(o))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void valuesAreValidatedWhenBuiltAndNameTheirField() {
    assertThatThrownBy(() -> GrpoConfig.builder().groupSize(1).build())
        .hasMessageStartingWith("groupSize must be >= 2");
    assertThatThrownBy(() -> GrpoConfig.builder().learningRate(Double.NaN).build())
        .hasMessage("learningRate must be > 0 and finite, got NaN");
    assertThatThrownBy(() -> SftConfig.builder().logEvery(0).build())
        .hasMessage("logEvery must be > 0, got 0");
    assertThatThrownBy(() -> RetrieverServerConfig.defaults().withPort(70000))
        .hasMessage("port must be in [0, 65535], got 70000");
  }

  @Test
  void retrieverServerWithersChangeOneSetting() {
    RetrieverServerConfig d = RetrieverServerConfig.defaults();
    RetrieverServerConfig c = d.withPort(0).withReadTimeout(Duration.ofSeconds(2));
    assertThat(c)
        .isEqualTo(
            new RetrieverServerConfig(
                d.host(),
                0,
                d.path(),
                d.defaultTopK(),
                d.maxTopK(),
                d.maxQueries(),
                d.maxBodyBytes(),
                d.threads(),
                Duration.ofSeconds(2)));
  }

  @Test
  void aMissingRequiredSettingIsNamed() {
    assertThatThrownBy(() -> Trainer.builder().config(GrpoConfig.builder().build()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("policy")
        .hasMessageContaining("runDir");
    assertThatThrownBy(() -> Evaluator.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("reward");
    assertThatThrownBy(() -> SftTrainer.builder().config(SftConfig.builder().build()).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("policy");
  }
}

package io.github.dartrl.examples.interference;

import com.google.auto.value.AutoBuilder;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.examples.quickstart.QuickstartConfig;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.leas.attribution.AttributionConfig;
import io.github.dartrl.leas.variant.HybridMode;
import java.util.List;
import java.util.Objects;

/**
 * Everything the interference job is configured by. Build with {@link #toBuilder()} from a preset
 * ({@link #defaults()}, {@link #smoke()}); validated on construction, an out-of-range value names
 * its field.
 *
 * @param warmStart the world, tiny model, demonstrations, SFT and prompt of the warm start (the
 *     quickstart's first half); its GRPO settings are replaced by {@code grpo}
 * @param variantPolicy the adapter the three variants train (one LoRA: {@link Method#LORA})
 * @param grpo the variants' GRPO run: identical for Reas, Tool and Unified except {@code
 *     trainRoles}; its rollout (turns, token limits, temperature) also drives the attribution's
 *     sampling and the probe's rollouts
 * @param questions attribute on this many test questions (a seeded shuffle of the test split)
 * @param samples N answers per question and variant
 * @param questionsPerBatch questions sampled together (rows = questions × N)
 * @param hybridMode how the hybrids H_Tool and H_Reas are generated
 * @param attribution smoothing, bootstrap and histogram settings
 * @param probeQueries probe on this many test questions (0 = no probe)
 * @param probeGroupSize G rollouts per probe query
 * @param probeTargets the checkpoints and parameter sets to probe
 * @param budgetMinutes fit the whole job in this many minutes by training fewer GRPO steps and
 *     attributing fewer questions (0 = no limit); the summary records what actually ran
 */
public record InterferenceConfig(
    QuickstartConfig warmStart,
    PolicyConfig variantPolicy,
    GrpoConfig grpo,
    int questions,
    int samples,
    int questionsPerBatch,
    HybridMode hybridMode,
    AttributionConfig attribution,
    int probeQueries,
    int probeGroupSize,
    List<ProbeTarget> probeTargets,
    double budgetMinutes) {

  /** Validates every field. */
  public InterferenceConfig {
    Objects.requireNonNull(warmStart, "warmStart");
    Objects.requireNonNull(variantPolicy, "variantPolicy");
    Objects.requireNonNull(grpo, "grpo");
    Objects.requireNonNull(hybridMode, "hybridMode");
    Objects.requireNonNull(attribution, "attribution");
    Objects.requireNonNull(probeTargets, "probeTargets");
    if (variantPolicy.method() != Method.LORA) {
      throw new IllegalArgumentException(
          "variantPolicy must be a single LORA adapter (a CEA variant is one model), got "
              + variantPolicy.method());
    }
    atLeast("questions", questions, 1);
    atLeast("samples", samples, 1);
    atLeast("questionsPerBatch", questionsPerBatch, 1);
    atLeast("probeQueries", probeQueries, 0);
    atLeast("probeGroupSize", probeGroupSize, 2);
    if (probeQueries > 0 && probeTargets.isEmpty()) {
      throw new IllegalArgumentException("probeTargets must not be empty when probeQueries > 0");
    }
    if (!(budgetMinutes >= 0) || Double.isInfinite(budgetMinutes)) {
      throw new IllegalArgumentException("budgetMinutes must be >= 0, got " + budgetMinutes);
    }
    probeTargets = List.copyOf(probeTargets);
  }

  private static void atLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be >= " + min + ", got " + value);
    }
  }

  /** The measured default run (docs/leas.md), sized for 2 CPU cores. */
  public static InterferenceConfig defaults() {
    return InterferencePresets.defaults();
  }

  /** A run of well under a minute on the small world, for tests. */
  public static InterferenceConfig smoke() {
    return InterferencePresets.smoke();
  }

  /** The warm start's configuration, with this job's GRPO rollout shaping the demonstrations. */
  public QuickstartConfig warmStartConfig() {
    return warmStart.withGrpo(grpo).withBudgetMinutes(0);
  }

  /** A builder initialised with this configuration. */
  public Builder toBuilder() {
    return new AutoBuilder_InterferenceConfig_Builder(this);
  }

  /** Copy-and-change builder (generated); {@link #build()} validates. */
  @AutoBuilder
  public interface Builder {
    /** The SFT warm start every variant starts from. */
    Builder warmStart(QuickstartConfig v);

    /** The variant's single LoRA adapter. */
    Builder variantPolicy(PolicyConfig v);

    /** Each variant's GRPO run. */
    Builder grpo(GrpoConfig v);

    /** Test questions evaluated per variant. */
    Builder questions(int v);

    /** Sampled completions per question. */
    Builder samples(int v);

    /** Questions rolled out together. */
    Builder questionsPerBatch(int v);

    /** How the hybrids hand off. */
    Builder hybridMode(HybridMode v);

    /** The attribution's settings. */
    Builder attribution(AttributionConfig v);

    /** Probe queries (0 = no probe). */
    Builder probeQueries(int v);

    /** Completions per probe query. */
    Builder probeGroupSize(int v);

    /** The probe's targets. */
    Builder probeTargets(List<ProbeTarget> v);

    /** The time budget in minutes (0 = none). */
    Builder budgetMinutes(double v);

    /** The warm start set so far. */
    QuickstartConfig warmStart();

    /** The variant policy set so far. */
    PolicyConfig variantPolicy();

    /** The GRPO config set so far. */
    GrpoConfig grpo();

    /** Sets the GRPO steps of each variant. */
    default Builder grpoSteps(int steps) {
      return grpo(grpo().toBuilder().totalSteps(steps).build());
    }

    /**
     * Sets the sampling temperature of every rollout (GRPO, attribution, probe; the paper: 1.0).
     */
    default Builder temperature(double t) {
      GrpoConfig g = grpo();
      return grpo(g.toBuilder().rollout(g.rollout().withSampling(t, g.rollout().topP())).build());
    }

    /**
     * One seed for everything trained or sampled: the model's init, SFT shuffle, GRPO data order
     * and sampling, the adapters' init, the attribution's sampling and the probe's rollouts (the
     * world and the demonstrations keep theirs; the bootstrap keeps its own seed).
     */
    default Builder seed(long seed) {
      return warmStart(warmStart().withSeed(seed))
          .variantPolicy(variantPolicy().withSeed(seed))
          .grpo(grpo().toBuilder().seed(seed).build());
    }

    /** Validates and builds (see the record's constructor). */
    InterferenceConfig build();
  }
}

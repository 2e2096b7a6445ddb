package io.github.dartrl.examples.interference;

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
    return new Builder(this);
  }

  /** Copy-and-change builder; {@link #build()} validates. */
  public static final class Builder {
    private QuickstartConfig warmStart;
    private PolicyConfig variantPolicy;
    private GrpoConfig grpo;
    private int questions;
    private int samples;
    private int questionsPerBatch;
    private HybridMode hybridMode;
    private AttributionConfig attribution;
    private int probeQueries;
    private int probeGroupSize;
    private List<ProbeTarget> probeTargets;
    private double budgetMinutes;

    private Builder(InterferenceConfig c) {
      warmStart = c.warmStart;
      variantPolicy = c.variantPolicy;
      grpo = c.grpo;
      questions = c.questions;
      samples = c.samples;
      questionsPerBatch = c.questionsPerBatch;
      hybridMode = c.hybridMode;
      attribution = c.attribution;
      probeQueries = c.probeQueries;
      probeGroupSize = c.probeGroupSize;
      probeTargets = c.probeTargets;
      budgetMinutes = c.budgetMinutes;
    }

    public Builder warmStart(QuickstartConfig v) {
      warmStart = v;
      return this;
    }

    public Builder variantPolicy(PolicyConfig v) {
      variantPolicy = v;
      return this;
    }

    public Builder grpo(GrpoConfig v) {
      grpo = v;
      return this;
    }

    /** Sets the GRPO steps of each variant. */
    public Builder grpoSteps(int steps) {
      grpo = grpo.toBuilder().totalSteps(steps).build();
      return this;
    }

    /**
     * Sets the sampling temperature of every rollout (GRPO, attribution, probe; the paper: 1.0).
     */
    public Builder temperature(double t) {
      grpo =
          grpo.toBuilder().rollout(grpo.rollout().withSampling(t, grpo.rollout().topP())).build();
      return this;
    }

    public Builder questions(int v) {
      questions = v;
      return this;
    }

    public Builder samples(int v) {
      samples = v;
      return this;
    }

    public Builder questionsPerBatch(int v) {
      questionsPerBatch = v;
      return this;
    }

    public Builder hybridMode(HybridMode v) {
      hybridMode = v;
      return this;
    }

    public Builder attribution(AttributionConfig v) {
      attribution = v;
      return this;
    }

    public Builder probeQueries(int v) {
      probeQueries = v;
      return this;
    }

    public Builder probeGroupSize(int v) {
      probeGroupSize = v;
      return this;
    }

    public Builder probeTargets(List<ProbeTarget> v) {
      probeTargets = v;
      return this;
    }

    public Builder budgetMinutes(double v) {
      budgetMinutes = v;
      return this;
    }

    /**
     * One seed for everything trained or sampled: the model's init, SFT shuffle, GRPO data order
     * and sampling, the adapters' init, the attribution's sampling and the probe's rollouts (the
     * world and the demonstrations keep theirs; the bootstrap keeps its own seed).
     */
    public Builder seed(long seed) {
      warmStart = warmStart.withSeed(seed);
      variantPolicy = variantPolicy.withSeed(seed);
      grpo = grpo.toBuilder().seed(seed).build();
      return this;
    }

    public InterferenceConfig build() {
      return new InterferenceConfig(
          warmStart,
          variantPolicy,
          grpo,
          questions,
          samples,
          questionsPerBatch,
          hybridMode,
          attribution,
          probeQueries,
          probeGroupSize,
          probeTargets,
          budgetMinutes);
    }
  }
}

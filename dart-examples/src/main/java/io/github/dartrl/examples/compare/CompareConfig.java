package io.github.dartrl.examples.compare;

import io.github.dartrl.examples.quickstart.QuickstartConfig;
import io.github.dartrl.grpo.reward.RewardFunctions;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * Everything the {@code compare} job is configured by.
 *
 * @param base the world, tiny model, demonstrations, SFT warm start, DART policy and GRPO run every
 *     method shares (its {@code grpo().totalSteps()} is the step count each method gets, its {@code
 *     evalLimit} and {@code budgetMinutes} apply to the whole comparison); {@link
 *     QuickstartConfig#withSeed} is applied per seed
 * @param seeds the seeds; each gets its own warm start (model init and SFT shuffle) and every
 *     method of that seed shares it, the GRPO data order and the sampling seeds
 * @param methods the methods, in the order they run and appear in the table
 * @param fullLrRatio learning rate of the methods that train the backbone (FULL, TWO_AGENT)
 *     relative to the adapters' (the paper: 1e-6 vs 1e-5 = 0.1)
 * @param reward the GRPO reward, one of {@link RewardFunctions#NAMES} (evaluation always reports
 *     EM)
 */
public record CompareConfig(
    QuickstartConfig base,
    List<Long> seeds,
    List<CompareMethod> methods,
    double fullLrRatio,
    String reward,
    Path warmStart) {

  /** The paper's ratio of full fine-tuning to LoRA learning rate (1e-6 / 1e-5). */
  public static final double PAPER_FULL_LR_RATIO = 0.1;

  /** Validates the lists, the ratio and the reward name. */
  public CompareConfig {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(reward, "reward");
    if (seeds == null || seeds.isEmpty()) {
      throw new IllegalArgumentException("at least one seed is needed");
    }
    if (new LinkedHashSet<>(seeds).size() != seeds.size()) {
      throw new IllegalArgumentException("seeds must be distinct, got " + seeds);
    }
    if (methods == null || methods.isEmpty()) {
      throw new IllegalArgumentException("at least one method is needed");
    }
    if (new LinkedHashSet<>(methods).size() != methods.size()) {
      throw new IllegalArgumentException("methods must be distinct, got " + methods);
    }
    if (!(fullLrRatio > 0 && fullLrRatio <= 1)) {
      throw new IllegalArgumentException("fullLrRatio must be in (0, 1], got " + fullLrRatio);
    }
    if (!RewardFunctions.NAMES.contains(reward)) {
      throw new IllegalArgumentException(
          "reward must be one of " + RewardFunctions.NAMES + ", got " + reward);
    }
    seeds = List.copyOf(seeds);
    methods = List.copyOf(methods);
  }

  /** The measured comparison (docs/results.md): the quickstart's setup, two seeds, all methods. */
  public static CompareConfig defaults() {
    return ComparePresets.defaults();
  }

  /** A run of about a minute: small world and model, one seed, two steps, all four methods. */
  public static CompareConfig smoke() {
    return ComparePresets.smoke();
  }

  /** The GRPO steps every run gets (before a budget scales them down). */
  public int grpoSteps() {
    return base.grpo().totalSteps();
  }

  public CompareConfig withBase(QuickstartConfig b) {
    return new CompareConfig(b, seeds, methods, fullLrRatio, reward, warmStart);
  }

  public CompareConfig withSeeds(List<Long> s) {
    return new CompareConfig(base, s, methods, fullLrRatio, reward, warmStart);
  }

  public CompareConfig withMethods(List<CompareMethod> m) {
    return new CompareConfig(base, seeds, m, fullLrRatio, reward, warmStart);
  }

  public CompareConfig withFullLrRatio(double r) {
    return new CompareConfig(base, seeds, methods, r, reward, warmStart);
  }

  public CompareConfig withReward(String r) {
    return new CompareConfig(base, seeds, methods, fullLrRatio, r, warmStart);
  }

  public CompareConfig withWarmStart(Path dir) {
    return new CompareConfig(base, seeds, methods, fullLrRatio, reward, dir);
  }

  /** A copy with every run getting {@code steps} GRPO steps. */
  public CompareConfig withGrpoSteps(int steps) {
    return withBase(base.withGrpo(base.grpo().toBuilder().totalSteps(steps).build()));
  }
}

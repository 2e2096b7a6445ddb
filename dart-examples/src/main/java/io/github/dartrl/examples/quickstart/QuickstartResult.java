package io.github.dartrl.examples.quickstart;

import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.examples.harness.Machine;
import io.github.dartrl.examples.world.DemonstrationMix;
import io.github.dartrl.examples.world.WorldStats;
import io.github.dartrl.grpo.sft.SftResult;
import io.github.dartrl.grpo.train.EvalResult;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the quickstart job measured.
 *
 * @param config what ran
 * @param out the output directory
 * @param world sizes of the generated world
 * @param model the tiny model's config
 * @param demonstrations the realised imperfection mix of the SFT demonstrations
 * @param demonstrationTokens mean tokens per demonstration
 * @param sft the SFT loss curve and throughput
 * @param before greedy EM on the test split after the warm start
 * @param after greedy EM on the test split after GRPO
 * @param grpoSteps GRPO steps run (fewer than configured if the budget stopped them)
 * @param timings seconds per phase, and {@code total}
 * @param cpuSeconds process CPU seconds per phase (all threads), and {@code total}
 * @param environment cores, Java, OS, CPU and the load average at the start and end
 * @param toolCallRates share of test questions whose response made a complete call of a tool beside
 *     search, e.g. {@code sql_before}, {@code sql_after}; empty for a search-only run
 */
public record QuickstartResult(
    QuickstartConfig config,
    Path out,
    WorldStats world,
    ModelConfig model,
    DemonstrationMix demonstrations,
    double demonstrationTokens,
    SftResult sft,
    EvalResult before,
    EvalResult after,
    int grpoSteps,
    Map<String, Double> timings,
    Map<String, Double> cpuSeconds,
    Map<String, String> environment,
    Map<String, Double> toolCallRates) {

  /** Collects the parts as the phases finish. */
  static final class Builder {
    private final QuickstartConfig config;
    private final Path out;
    private WorldStats world;
    private ModelConfig model;
    private DemonstrationMix mix;
    private double demoTokens;
    private SftResult sft;
    private EvalResult before;
    private EvalResult after;
    private int grpoSteps;
    private Map<String, Double> timings;
    private Map<String, Double> cpuSeconds;
    private final Map<String, String> environment = new java.util.LinkedHashMap<>();
    private final Map<String, Double> toolCallRates = new java.util.LinkedHashMap<>();

    Builder(QuickstartConfig config, Path out) {
      this.config = config;
      this.out = out;
      environment.putAll(Machine.describe());
      environment.put("load_start", Machine.loadAverage());
    }

    void warmStart(WarmStart w) {
      world = w.world().stats();
      model = w.modelConfig();
      mix = w.mix();
      demoTokens = w.demonstrationTokens();
      sft = w.sft();
    }

    void before(EvalResult r) {
      before = r;
    }

    void after(EvalResult r) {
      after = r;
    }

    void toolCallRate(String key, double rate) {
      toolCallRates.put(key, rate);
    }

    void grpoSteps(int s) {
      grpoSteps = s;
    }

    void timings(Map<String, Double> t, Map<String, Double> cpu) {
      timings = t;
      cpuSeconds = cpu;
      environment.put("load_end", Machine.loadAverage());
    }

    QuickstartResult build() {
      return new QuickstartResult(
          config,
          out,
          world,
          model,
          mix,
          demoTokens,
          sft,
          before,
          after,
          grpoSteps,
          timings,
          cpuSeconds,
          Map.copyOf(environment),
          java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(toolCallRates)));
    }
  }
}

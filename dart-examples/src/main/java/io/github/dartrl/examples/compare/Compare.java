package io.github.dartrl.examples.compare;

import io.github.dartrl.examples.harness.Machine;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.examples.harness.Phases;
import io.github.dartrl.examples.quickstart.QuickstartConfig;
import io.github.dartrl.examples.quickstart.WarmStart;
import io.github.dartrl.examples.world.Split;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.train.EvalResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DART vs single LoRA vs full fine-tuning vs 2-Agent on the same world, seeds and step count:
 *
 * <ol>
 *   <li>per seed, the {@link WarmStart} once ({@code seed-S/}: world, BM25 index, tiny model, SFT
 *       warm start saved as {@code seed-S/model-sft/}) and its greedy EM on the test split — every
 *       method of the seed starts from exactly this function (adapters with B = 0, a copy of the
 *       backbone, or two copies for 2-Agent);
 *   <li>with a time budget, a probe step of each method (thrown away; the first method probed runs
 *       two and keeps the second, past the warm-up) measures the cost per step, and {@link
 *       StepPlan} scales the step count down uniformly so that every run gets the same number of
 *       steps (a run still stops early if the budget is spent, and the table then shows the steps
 *       it got);
 *   <li>per seed and method, a fresh copy of the warm-started model is loaded and trained with the
 *       same GRPO config, reward, data order and sampling seeds ({@code seed-S/METHOD/grpo/}: the
 *       trainer's metrics, plots and checkpoint), evaluated, and its adapters (PEFT) or models (HF)
 *       saved ({@link SeedRuns});
 *   <li>{@code results.jsonl}, {@code results.csv}, {@code summary.md}, {@code summary.json} and
 *       {@code plots/} ({@link CompareReport}).
 * </ol>
 *
 * <p>The only per-method differences are the parameterisation and, for the methods that train the
 * backbone, the learning rate ({@link CompareConfig#fullLrRatio}).
 */
public final class Compare {
  private static final Logger LOG = LoggerFactory.getLogger(Compare.class);
  private static final double REPORT_SECONDS = 30;

  private Compare() {}

  /**
   * Runs the comparison into {@code out} (created; must be empty if it exists).
   *
   * @return every run's numbers (also written to {@code out/summary.md} and {@code results.*})
   */
  public static CompareResult run(CompareConfig config, Path out) {
    try {
      return runChecked(config, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static CompareResult runChecked(CompareConfig c, Path out) throws IOException {
    OutputDir.createNew(out, "--out");
    Map<String, String> environment = new LinkedHashMap<>(Machine.describe());
    environment.put("load_start", Machine.loadAverage());
    QuickstartConfig base = c.base();
    boolean budgeted = base.budgetMinutes() > 0;
    int seeds = c.seeds().size();
    int runs = seeds * c.methods().size();
    Start shared = c.warmStart() == null ? null : Start.load(c.warmStart(), base);
    int evals = shared == null ? seeds : 1;
    Phases phases =
        new Phases(
            (shared == null ? seeds * WarmStart.PHASES : 0) + evals + runs + (budgeted ? 1 : 0),
            base.budgetMinutes());

    List<RunResult> results = new ArrayList<>();
    Map<Long, EvalResult> warmEvals = new LinkedHashMap<>();
    Map<Long, Double> warmLoss = new LinkedHashMap<>();
    StepPlan plan = budgeted ? null : StepPlan.unlimited(c.grpoSteps());
    double warmSeconds = 0;
    double warmEvalSeconds = 0;
    EvalResult sharedBefore = null;
    int done = 0;
    double runSecondsSum = 0;
    for (long seed : c.seeds()) {
      QuickstartConfig sc = base.withSeed(seed);
      Path seedDir = out.resolve("seed-" + seed);
      Files.createDirectories(seedDir);
      double t0 = phases.elapsedSeconds();
      Start start =
          shared != null
              ? shared
              : Start.of(
                  WarmStart.run(sc, seedDir, phases, WarmStart.DemonstrationsListener.none()));
      warmLoss.put(seed, start.sftFinalLoss());
      SeedRuns seedRuns = new SeedRuns(c, sc, start, seed, seedDir, out);
      QaDataset train = QaDataset.readJsonl(start.worldDir().resolve(Split.TRAIN.fileName()));
      QaDataset test =
          QaDataset.readJsonl(start.worldDir().resolve(Split.TEST.fileName()))
              .first(sc.evalLimit());

      EvalResult before;
      if (sharedBefore != null) {
        before = sharedBefore; // the same model, greedy: the same numbers
      } else {
        phases.start(shared != null ? "eval warm start" : "eval warm start (seed " + seed + ")");
        before = seedRuns.evaluateWarmStart(test);
        warmEvalSeconds = phases.done(describe(before));
        if (shared != null) {
          sharedBefore = before;
        }
      }
      warmEvals.put(seed, before);
      if (shared == null) {
        warmSeconds = phases.elapsedSeconds() - t0;
      }

      if (plan == null) {
        phases.start("probe (one step per method, for the step budget)");
        Map<CompareMethod, Double> perStep = seedRuns.probe(train);
        double fixed = (seeds - 1) * warmSeconds + REPORT_SECONDS;
        for (CompareMethod m : c.methods()) {
          fixed += seeds * warmEvalSeconds * (m.needsToolAgent() ? 2.0 : 1.2);
        }
        plan = StepPlan.fit(c.grpoSteps(), phases.remainingSeconds(), fixed, perStep, seeds);
        phases.done(plan.steps() + " steps per run: " + plan.explanation());
      }

      for (CompareMethod method : c.methods()) {
        phases.start(String.format(Locale.ROOT, "%s (seed %d)", method, seed));
        RunResult r = seedRuns.run(method, plan.steps(), train, test, before, phases);
        results.add(r);
        double runSeconds = phases.done(describe(r.after()) + ", " + r.steps() + " steps");
        done++;
        runSecondsSum += runSeconds;
        int warmStartsLeft = seeds - 1 - c.seeds().indexOf(seed);
        double eta = runSecondsSum / done * (runs - done) + warmStartsLeft * warmSeconds;
        LOG.info(
            String.format(
                Locale.ROOT,
                "compare: run %d/%d (%d%%) %s seed %d: EM %.3f -> %.3f in %d steps | elapsed %s |"
                    + " ETA %s",
                done,
                runs,
                done * 100 / runs,
                method,
                seed,
                before.exactMatch(),
                r.after().exactMatch(),
                r.steps(),
                Phases.format(phases.elapsedSeconds()),
                Phases.format(eta)));
      }
    }
    Map<String, Double> timings = phases.timings();
    environment.put("load_end", Machine.loadAverage());
    CompareResult result =
        new CompareResult(c, out, plan, warmEvals, warmLoss, results, timings, environment);
    CompareReport.write(result);
    LOG.info("compare: results in {}", out.resolve(CompareReport.SUMMARY));
    return result;
  }

  /**
   * Only the warm starts: per seed, {@code out/seed-S/} gets the world, BM25 index, tiny model and
   * SFT warm start ({@code model-sft/}) that later runs reuse with {@code --warm-start out/seed-S},
   * each method in its own process (scripts/compare-study.sh).
   */
  public static void warmStartsOnly(CompareConfig c, Path out) throws IOException {
    OutputDir.createNew(out, "--out");
    Phases phases = new Phases(c.seeds().size() * WarmStart.PHASES, 0);
    for (long seed : c.seeds()) {
      Path seedDir = out.resolve("seed-" + seed);
      Files.createDirectories(seedDir);
      WarmStart.run(
          c.base().withSeed(seed), seedDir, phases, WarmStart.DemonstrationsListener.none());
    }
    // written last: its presence says every warm start is complete
    byte[] done =
        ("{\"seeds\": " + c.seeds() + "}\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    io.github.dartrl.core.io.AtomicFiles.write(out.resolve(WARM_STARTS_DONE), o -> o.write(done));
  }

  /** Written by {@link #warmStartsOnly} when every seed's warm start is complete. */
  public static final String WARM_STARTS_DONE = "warm_starts.json";

  private static String describe(EvalResult r) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "EM %.3f", r.exactMatch()));
    r.exactMatchBySource()
        .forEach((k, v) -> sb.append(String.format(Locale.ROOT, ", %s %.3f", k, v)));
    return sb.toString();
  }
}

package io.github.dartrl.examples.bench;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.NativeSwitches;
import io.github.dartrl.examples.harness.CliErrorHandler;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.metrics.CsvWriter;
import io.github.dartrl.grpo.metrics.MetricsPlot;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.Trainer;
import io.github.dartrl.grpo.train.TrainerListener;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Soak test: many GRPO steps (DART, rollouts with searches, updates, a checkpoint every {@code
 * --every} steps) on a tiny model, sampling the process memory every {@code --every} steps after a
 * full GC. Writes {@code soak.csv}, {@code soak.png} and {@code soak.md} to {@code --out} and
 * prints PASS when RSS and native memory (RSS outside the Java heap) grew by less than {@code
 * --max-growth-percent} from the end of warm-up to the end, else MISS (exit code 2). Run it through
 * scripts/soak.sh, which fixes the heap size so that RSS differences are native memory.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = "Run many GRPO steps on a tiny model and record memory growth.")
public final class SoakBenchmark implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SoakBenchmark.class);

  @Option(names = "--out", defaultValue = "runs/soak", description = "output directory")
  Path out;

  @Option(names = "--steps", defaultValue = "1000")
  int steps;

  @Option(names = "--every", defaultValue = "50", description = "memory sample interval (steps)")
  int every;

  @Option(
      names = "--warmup",
      defaultValue = "200",
      description = "growth is measured from this step to the end")
  int warmup;

  @Option(names = "--max-growth-percent", defaultValue = "5")
  double maxGrowthPercent;

  @Option(names = "--hidden", defaultValue = "32", description = "model width d")
  int hidden;

  private double trimmedRss = Double.NaN;

  static final List<String> WORDS =
      List.of(
          "who",
          "is",
          "the",
          "capital",
          "of",
          "paris",
          "france",
          "city",
          "where",
          "was",
          "company",
          "founded",
          "river",
          "country",
          "year",
          "question",
          ":",
          ".",
          "?");

  public static void main(String[] args) {
    System.setProperty("offline", "true");
    NativeSwitches.apply();
    System.exit(
        CliErrorHandler.withErrorHandling(new CommandLine(new SoakBenchmark())).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (warmup >= steps || every <= 0 || warmup % every != 0) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "need 0 <= --warmup < --steps, a multiple of --every > 0");
    }
    OutputDir.requireNew(out, "--out");
    Files.createDirectories(out);
    Path modelDir = out.resolve("model");
    Path runDir = out.resolve("run");
    TinyModels.create(modelDir, WORDS, new TinyModels.Size(hidden, 2, 4, 2, 2 * hidden, 512), 1);
    List<StepMetrics> samples = new ArrayList<>();
    samples.add(new StepMetrics(0, sample(null, Double.NaN)));
    long t0 = System.nanoTime();
    try (NDManager root = JobDevice.newRoot();
        DecoderModel model = HfCheckpoint.load(modelDir, root);
        TextTokenizer tok = TextTokenizer.load(modelDir);
        Policy policy = Policy.create(model, PolicyConfig.dart(), tok);
        Trainer trainer =
            Trainer.builder()
                .policy(policy)
                .tokenizer(tok)
                .retriever(retriever())
                .promptTemplate(new PromptTemplate("question : {question}", true))
                .reward(PARIS)
                .trainData(data())
                .config(config())
                .runDir(runDir)
                .listener(
                    new TrainerListener() {
                      @Override
                      public void onStep(StepMetrics m) {
                        if (m.step() % every == 0) {
                          samples.add(
                              new StepMetrics(m.step(), sample(root, m.value("perf/step_time_s"))));
                          LOG.info(
                              "memory at step {}: {}",
                              m.step(),
                              samples.get(samples.size() - 1).values());
                        }
                      }
                    })
                .build()) {
      trainer.fit();
    }
    double minutes = (System.nanoTime() - t0) / 60e9;
    System.gc();
    trimmedRss = MemorySample.mallocTrim() ? MemorySample.take().rss() : Double.NaN;
    return report(samples, minutes);
  }

  /** Memory after a full GC, the live NDArrays under {@code root} and the last step's time. */
  private Map<String, Double> sample(NDManager root, double stepSeconds) {
    System.gc(); // compare live memory, not garbage (DJL frees direct buffers on GC)
    Map<String, Double> m = new LinkedHashMap<>(MemorySample.take().values());
    // a leaked array (a forward or update result attached to a long-lived manager) shows here
    m.put("live_arrays", root == null ? Double.NaN : (double) root.getManagedArrays().size());
    m.put("step_time_s", stepSeconds);
    return m;
  }

  private int report(List<StepMetrics> samples, double minutes) throws Exception {
    List<String> header = new ArrayList<>(List.of("step"));
    header.addAll(samples.get(0).values().keySet());
    List<List<Object>> rows = new ArrayList<>();
    for (StepMetrics s : samples) {
      List<Object> row = new ArrayList<>(List.of(s.step()));
      row.addAll(s.values().values());
      rows.add(row);
    }
    CsvWriter.write(out.resolve("soak.csv"), header, rows);
    MetricsPlot.plot(
        out.resolve("soak.png"),
        "Memory over " + steps + " GRPO steps (MiB)",
        samples,
        List.of("rss_mib", "native_mib", "heap_used_mib", "direct_mib"));
    StepMetrics base = samples.stream().filter(s -> s.step() == warmup).findFirst().orElseThrow();
    StepMetrics end = samples.get(samples.size() - 1);
    double rssGrowth = growth(base, end, "rss_mib");
    double nativeGrowth = growth(base, end, "native_mib");
    double rssPeak = peakGrowth(samples, base, "rss_mib");
    double nativePeak = peakGrowth(samples, base, "native_mib");
    boolean pass = Math.max(rssGrowth, nativeGrowth) < maxGrowthPercent;
    String md =
        String.format(
            Locale.ROOT,
            "| | step %d (end of warm-up) | step %d | growth | peak growth after warm-up |%n"
                + "|---|---:|---:|---:|---:|%n"
                + "| RSS MiB | %.1f | %.1f | %+.2f %% | %+.2f %% |%n"
                + "| native MiB (RSS − heap) | %.1f | %.1f | %+.2f %% | %+.2f %% |%n"
                + "| heap used MiB (after GC) | %.1f | %.1f | | |%n"
                + "| direct buffers MiB | %.2f | %.2f | | |%n"
                + "| live NDArrays | %.0f | %.0f | | |%n%n"
                + "RSS after training, GC and malloc_trim(0): %.1f MiB.%n"
                + "%d steps in %.1f min (%.2f s/step); d=%d; verdict: %s (limit %.1f %%)%n",
            base.step(),
            end.step(),
            base.value("rss_mib"),
            end.value("rss_mib"),
            rssGrowth,
            rssPeak,
            base.value("native_mib"),
            end.value("native_mib"),
            nativeGrowth,
            nativePeak,
            base.value("heap_used_mib"),
            end.value("heap_used_mib"),
            base.value("direct_mib"),
            end.value("direct_mib"),
            base.value("live_arrays"),
            end.value("live_arrays"),
            trimmedRss,
            steps,
            minutes,
            minutes * 60 / steps,
            hidden,
            pass ? "PASS" : "MISS",
            maxGrowthPercent);
    Files.writeString(out.resolve("soak.md"), md, StandardCharsets.UTF_8);
    System.out.print(md);
    System.out.println(pass ? "PASS" : "MISS");
    return pass ? 0 : 2;
  }

  private static double growth(StepMetrics base, StepMetrics end, String key) {
    return 100 * (end.value(key) / base.value(key) - 1);
  }

  private static double peakGrowth(List<StepMetrics> samples, StepMetrics base, String key) {
    return samples.stream()
        .filter(s -> s.step() >= base.step())
        .mapToDouble(s -> growth(base, s, key))
        .max()
        .orElse(Double.NaN);
  }

  /** Share of the response's words that are "paris": a dense reward, so every step updates. */
  static final RewardFunction PARIS =
      in -> {
        String[] w = in.response().trim().split("\\s+");
        long hits = Arrays.stream(w).filter("paris"::equals).count();
        return new RewardResult(
            w.length == 0 ? 0 : hits / (double) w.length, false, null, Map.of());
      };

  static Retriever retriever() {
    return (queries, k) -> {
      List<List<Passage>> res = new ArrayList<>();
      for (String q : queries) {
        List<Passage> ps = new ArrayList<>();
        for (int i = 0; i < k; i++) {
          ps.add(new Passage("" + i, "paris", "the capital of france is paris . " + q, 1));
        }
        res.add(ps);
      }
      return res;
    };
  }

  static QaDataset data() {
    List<QaExample> xs = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      xs.add(
          QaExample.of(
              "q" + i,
              WORDS.get(i % 8) + " " + WORDS.get(8 + i % 7) + " the " + WORDS.get(i % 5),
              List.of("paris")));
    }
    return QaDataset.of(xs);
  }

  private GrpoConfig config() {
    return GrpoConfig.builder()
        .totalSteps(steps)
        .promptsPerStep(2)
        .groupSize(4)
        .learningRate(1e-3)
        .microBatchSize(4)
        .checkpointEvery(every)
        .keepCheckpoints(2)
        .rollout(RolloutConfig.searchR1().withMaxTurns(2).withTurnTokens(12, 16).withTopK(2))
        .seed(3)
        .build();
  }
}

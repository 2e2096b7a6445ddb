package io.github.dartrl.examples.bench;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.NativeSwitches;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.TrainResult;
import io.github.dartrl.grpo.train.Trainer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * GRPO throughput and memory of DART vs single LoRA vs the 2-Agent baseline on the same tiny model,
 * in one run: rollout tokens/s (trajectory tokens per second of rollout wall time), training
 * tokens/s (trajectory tokens per second of the update), and peak RSS. Each method runs in its own
 * child JVM so the peak memory of one does not hide another's.
 */
@Command(
    name = "grpo-benchmark",
    mixinStandardHelpOptions = true,
    description = "Benchmark GRPO steps per method.")
public final class GrpoBenchmark implements Callable<Integer> {
  @Option(
      names = "--steps",
      defaultValue = "3",
      description = "timed GRPO steps after one warm-up step")
  int steps;

  @Option(names = "--prompts", defaultValue = "16")
  int prompts;

  @Option(names = "--group", defaultValue = "5")
  int group;

  @Option(names = "--child", description = "internal: run one method and print one result line")
  Method child;

  @Option(
      names = "--two-agent",
      description = "internal: with --child FULL, run the 2-Agent baseline")
  boolean twoAgent;

  @Option(names = "--model", description = "internal: model directory")
  Path modelDir;

  public static void main(String[] args) {
    System.setProperty("offline", "true");
    NativeSwitches.apply();
    System.exit(new CommandLine(new GrpoBenchmark()).execute(args));
  }

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
          "born",
          "in",
          "where",
          "was",
          "company",
          "founded",
          "river",
          "country",
          "year",
          "works",
          "for",
          "answer",
          "question",
          ":",
          ".",
          "?");

  @Override
  public Integer call() throws Exception {
    if (child != null) {
      return runChild();
    }
    Path dir = Files.createTempDirectory("dart4j-grpo-bench");
    TinyModels.create(dir, WORDS, TinyModels.Size.world(), 1);
    System.out.printf(
        Locale.ROOT,
        "# GRPO step benchmark%n%nmodel: %s (d=128, 4 layers, 4 heads / 2 KV, MLP 384), %d prompts x G=%d,"
            + " 2 tool calls max, 48 tokens per turn, median of %d steps after a warm-up%n%n",
        TinyModels.Size.world(),
        prompts,
        group,
        steps);
    System.out.println(
        "| method | trainable params | rollout tok/s | train tok/s | step s | peak RSS MB | RSS vs LORA |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    for (String m : new String[] {"LORA", "DART", "TWO_AGENT"}) {
      results.put(m, spawn(dir, m));
    }
    double loraRss = results.get("LORA").get("rss_mb");
    for (var e : results.entrySet()) {
      Map<String, Double> r = e.getValue();
      System.out.printf(
          Locale.ROOT,
          "| %s | %,.0f | %.0f | %.0f | %.2f | %.0f | %.2f |%n",
          e.getKey(),
          r.get("params"),
          r.get("rollout_tps"),
          r.get("train_tps"),
          r.get("step_s"),
          r.get("rss_mb"),
          r.get("rss_mb") / loraRss);
    }
    return 0;
  }

  private Map<String, Double> spawn(Path dir, String method) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx2g");
    cmd.add("-Doffline=true");
    cmd.addAll(NativeSwitches.childFlags());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(GrpoBenchmark.class.getName());
    cmd.addAll(
        List.of(
            "--model",
            dir.toString(),
            "--steps",
            "" + steps,
            "--prompts",
            "" + prompts,
            "--group",
            "" + group));
    if (method.equals("TWO_AGENT")) {
      cmd.addAll(List.of("--child", "FULL", "--two-agent"));
    } else {
      cmd.addAll(List.of("--child", method));
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Map<String, Double> r = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          for (String kv : line.substring(7).split(" ")) {
            String[] x = kv.split("=");
            r.put(x[0], Double.parseDouble(x[1]));
          }
        }
      }
    }
    if (p.waitFor() != 0 || r.isEmpty()) {
      throw new IllegalStateException(method + " child failed with exit code " + p.exitValue());
    }
    return r;
  }

  /** Peak resident set size of this process in MB (Linux VmHWM). */
  static double peakRssMb() throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (l.startsWith("VmHWM:")) {
        return Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  private Integer runChild() throws Exception {
    Retriever retriever =
        (queries, k) -> {
          List<List<Passage>> out = new ArrayList<>();
          for (String q : queries) {
            List<Passage> ps = new ArrayList<>();
            for (int i = 0; i < k; i++) {
              ps.add(
                  new Passage(
                      "" + i,
                      "paris",
                      "the capital of france is paris . the city was founded in the year of the river .",
                      1));
            }
            out.add(ps);
          }
          return out;
        };
    List<QaExample> xs = new ArrayList<>();
    for (int i = 0; i < prompts * (steps + 1); i++) {
      xs.add(
          QaExample.of("q" + i, "where was the company " + i % 7 + " founded", List.of("paris")));
    }
    GrpoConfig cfg =
        GrpoConfig.builder()
            .totalSteps(steps + 1)
            .promptsPerStep(prompts)
            .groupSize(group)
            .learningRate(1e-4)
            .microBatchSize(16)
            .checkpointEvery(0)
            .logEntropy(false)
            .rollout(RolloutConfig.searchR1().withMaxTurns(2).withTurnTokens(48, 64).withTopK(2))
            .build();
    Path run = Files.createTempDirectory("dart4j-grpo-bench-run");
    try (NDManager root = JobDevice.newRoot();
        DecoderModel model = HfCheckpoint.load(modelDir, root);
        TextTokenizer tok = TextTokenizer.load(modelDir)) {
      DecoderModel second = twoAgent ? HfCheckpoint.load(modelDir, root) : null;
      Policy policy =
          Policy.create(model, PolicyConfig.of(child, child == Method.LORA ? 16 : 8), tok);
      Policy tool =
          second == null ? null : Policy.create(second, PolicyConfig.of(Method.FULL, 8), tok);
      long params =
          policy.trainableParameters().values().stream().mapToLong(a -> a.size()).sum()
              + (tool == null
                  ? 0
                  : tool.trainableParameters().values().stream().mapToLong(a -> a.size()).sum());
      Trainer.Builder b =
          Trainer.builder()
              .policy(policy)
              .tokenizer(tok)
              .retriever(retriever)
              .promptTemplate(PromptTemplate.searchR1())
              .reward(RewardFunctions.named("em"))
              .trainData(QaDataset.of(xs))
              .config(cfg)
              .runDir(run);
      if (tool != null) {
        b.toolAgent(tool);
      }
      TrainResult r;
      try (Trainer t = b.build()) {
        r = t.fit();
      }
      List<StepMetrics> timed = r.history().subList(1, r.history().size());
      double rolloutTps =
          median(
              timed.stream()
                  .mapToDouble(s -> tokensPerStep(s) / s.value("perf/rollout_time_s"))
                  .toArray());
      double trainTps =
          median(
              timed.stream()
                  .mapToDouble(
                      s ->
                          tokensPerStep(s)
                              / (s.value("perf/step_time_s") - s.value("perf/rollout_time_s")))
                  .toArray());
      double stepS = median(timed.stream().mapToDouble(s -> s.value("perf/step_time_s")).toArray());
      System.out.printf(
          Locale.ROOT,
          "RESULT params=%d rollout_tps=%.1f train_tps=%.1f step_s=%.3f rss_mb=%.1f%n",
          params,
          rolloutTps,
          trainTps,
          stepS,
          peakRssMb());
      policy.close();
      if (tool != null) {
        tool.close();
        second.close();
      }
    }
    return 0;
  }

  private double tokensPerStep(StepMetrics s) {
    return s.value("perf/tokens_per_s") * s.value("perf/step_time_s");
  }

  private static double median(double[] xs) {
    java.util.Arrays.sort(xs);
    return xs[xs.length / 2];
  }
}

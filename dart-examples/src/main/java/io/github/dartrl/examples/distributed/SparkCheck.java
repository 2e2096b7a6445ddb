package io.github.dartrl.examples.distributed;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.core.text.WordLevelTokenizerWriter;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.examples.scaling.MeasuredCosts;
import io.github.dartrl.examples.scaling.MeasuredRun;
import io.github.dartrl.examples.scaling.MeasuredStep;
import io.github.dartrl.examples.world.Split;
import io.github.dartrl.examples.world.World;
import io.github.dartrl.examples.world.WorldConfig;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.distributed.ModelKey;
import io.github.dartrl.grpo.distributed.SparkRollouts;
import io.github.dartrl.grpo.distributed.StepCosts;
import io.github.dartrl.grpo.metrics.StepMetrics;
import io.github.dartrl.grpo.retrieval.Bm25IndexBuilder;
import io.github.dartrl.grpo.retrieval.LuceneBm25Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.train.AdapterWeights;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.TrainResult;
import io.github.dartrl.grpo.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Local versus distributed GRPO on the bundled world, on any Spark master: the same steps run once
 * in-process and once through {@link SparkRollouts}; the per-step metrics that describe the
 * trajectories must be equal and the adapters must agree within 1e-5. Prints, per step, both times
 * and their ratio and what the distributed step shipped ({@link StepCosts}); the executors'
 * backbone loads show once per JVM. With {@code --kill-executor-at-step K} one executor JVM is
 * killed when step K's rollout job starts (local-cluster: executors are separate JVMs).
 *
 * <pre>
 * java ... SparkCheck --dir DIR --master 'local-cluster[2,1,1024]' [--steps 3] [--prompts 4]
 *     [--group-size 2] [--partitions 2] [--kill-executor-at-step 2]
 * </pre>
 *
 * Exit code 0 when equivalent, 1 when not. scripts/spark-cluster.sh runs it.
 */
public final class SparkCheck {
  static final double WEIGHT_TOL = 1e-5;
  static final List<String> TRAJECTORY_METRICS =
      List.of(
          "reward/mean",
          "em/mean",
          "response_length/mean",
          "observation_length/mean",
          "env/turns_mean",
          "env/searches_mean",
          "env/truncated_ratio");

  private SparkCheck() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(arg(args, "--dir", null));
    String master = arg(args, "--master", "local[2]");
    CheckSettings s =
        new CheckSettings(
            Integer.parseInt(arg(args, "--steps", "3")),
            Integer.parseInt(arg(args, "--prompts", "4")),
            Integer.parseInt(arg(args, "--group-size", "2")),
            Integer.parseInt(arg(args, "--micro-batch", "8")),
            Long.parseLong(arg(args, "--seed", "1")));
    int partitions = Integer.parseInt(arg(args, "--partitions", "2"));
    int killAt = Integer.parseInt(arg(args, "--kill-executor-at-step", "0"));
    OutputDir.createNew(dir, "--dir");
    System.exit(run(dir, master, s, partitions, killAt) ? 0 : 1);
  }

  static boolean run(Path dir, String master, CheckSettings s, int partitions, int killAt) {
    World world = World.generate(WorldConfig.small());
    world.writeTo(dir.resolve("world"));
    Path index = dir.resolve("index");
    Bm25IndexBuilder.withDefaults().build(dir.resolve("world").resolve(World.CORPUS_FILE), index);
    Path modelDir = dir.resolve("model");
    List<String> words =
        WordLevelTokenizerWriter.vocabularyFrom(
            world.vocabularyTexts().stream(), 1, Integer.MAX_VALUE);
    TinyModels.create(modelDir, words, TinyModels.Size.world(), s.seed());
    QaDataset train;
    try {
      train = QaDataset.readJsonl(dir.resolve("world").resolve(Split.TRAIN.fileName()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    WorldRecipe recipe =
        new WorldRecipe(modelDir.toString(), index.toString(), ModelKey.of(modelDir), s);

    Run local = train(s, modelDir, index, train, dir.resolve("local"), null);
    SparkSession spark =
        SparkSession.builder()
            .master(master)
            .appName("dart4j-spark-check")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.executor.extraJavaOptions", SparkFlags.executorOptions())
            .getOrCreate();
    ExecutorKiller killer = null;
    if (killAt > 0) {
      killer = new ExecutorKiller(2 * (killAt - 1) + 1); // a step runs a rollout and a gradient job
      spark.sparkContext().addSparkListener(killer);
    }
    SparkRollouts rollouts = new SparkRollouts(spark, recipe, s.grpo(), partitions);
    Run distributed;
    try {
      distributed = train(s, modelDir, index, train, dir.resolve("distributed"), rollouts);
    } finally {
      spark.stop();
    }
    writeCosts(dir.resolve("costs.jsonl"), s, partitions, local, distributed, rollouts.costs());
    return report(s, local, distributed, rollouts.costs(), killer);
  }

  /** The per-step costs, machine-readable, for {@code dart4j scaling-projection}. */
  static void writeCosts(
      Path file, CheckSettings s, int partitions, Run local, Run dist, List<StepCosts> costs) {
    List<MeasuredStep> steps = new java.util.ArrayList<>();
    for (int i = 0; i < Math.min(costs.size(), s.steps()); i++) {
      StepCosts c = costs.get(i);
      steps.add(
          new MeasuredStep(
              i + 1,
              local.steps().get(i).value("perf/step_time_s"),
              dist.steps().get(i).value("perf/step_time_s"),
              c.rolloutSeconds(),
              c.gradientSeconds(),
              c.broadcasts(),
              c.broadcasts() == 0 ? 0 : c.broadcastBytes() / c.broadcasts(),
              c.broadcastFetchSeconds(),
              c.trajectoryBytesIn(),
              c.trajectoryBytesOut(),
              c.gradientBytes(),
              c.modelLoads().values().stream().mapToDouble(Double::doubleValue).max().orElse(0)));
    }
    try {
      MeasuredCosts.writeJsonl(
          new MeasuredRun(s.prompts(), s.groupSize(), partitions, steps), file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    System.out.println("per-step costs: " + file);
  }

  /** One run's per-step metrics and final adapters. */
  record Run(List<StepMetrics> steps, float[] adapters) {}

  private static Run train(
      CheckSettings s,
      Path modelDir,
      Path index,
      QaDataset train,
      Path runDir,
      SparkRollouts distributed) {
    GrpoConfig g = s.grpo();
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel model = HfCheckpoint.load(modelDir, root);
        TextTokenizer tok = TextTokenizer.load(modelDir);
        LuceneBm25Retriever retriever = LuceneBm25Retriever.open(index);
        Policy policy = Policy.create(model, s.policy(), tok)) {
      Trainer.Builder b =
          Trainer.builder()
              .policy(policy)
              .tokenizer(tok)
              .retriever(retriever)
              .promptTemplate(PromptTemplate.searchR1())
              .reward(RewardFunctions.named("em"))
              .trainData(train)
              .config(g)
              .runDir(runDir)
              .plots(false);
      if (distributed != null) {
        b.distributed(distributed);
      }
      try (Trainer t = b.build()) {
        TrainResult r = t.fit();
        return new Run(r.history(), AdapterWeights.of(policy).flat());
      }
    }
  }

  private static boolean report(
      CheckSettings s, Run local, Run dist, List<StepCosts> costs, ExecutorKiller killer) {
    boolean same = true;
    System.out.printf(
        Locale.ROOT,
        "%d steps of %d prompts x G=%d on the bundled world%n",
        s.steps(),
        s.prompts(),
        s.groupSize());
    for (int i = 0; i < s.steps(); i++) {
      StepMetrics a = local.steps().get(i);
      StepMetrics b = dist.steps().get(i);
      for (String key : TRAJECTORY_METRICS) {
        if (a.values().containsKey(key) && Double.compare(a.value(key), b.value(key)) != 0) {
          System.out.printf(
              Locale.ROOT,
              "step %d: %s differs: local %s, distributed %s%n",
              i + 1,
              key,
              a.value(key),
              b.value(key));
          same = false;
        }
      }
      double lt = a.value("perf/step_time_s");
      double dt = b.value("perf/step_time_s");
      System.out.printf(
          Locale.ROOT,
          "step %d: local %.3f s, distributed %.3f s (ratio %.2f); %s%n",
          i + 1,
          lt,
          dt,
          dt / lt,
          i < costs.size() ? costs.get(i).line() : "");
    }
    double diff = 0;
    for (int i = 0; i < local.adapters().length; i++) {
      diff = Math.max(diff, Math.abs(local.adapters()[i] - dist.adapters()[i]));
    }
    boolean close = diff <= WEIGHT_TOL;
    System.out.printf(
        Locale.ROOT,
        "adapters after %d steps: max |local - distributed| = %.3g (tolerance %.0e)%n",
        s.steps(),
        diff,
        WEIGHT_TOL);
    if (killer != null) {
      System.out.println(
          killer.killedPid() < 0
              ? "fault: no executor JVM was killed"
              : "fault: executor JVM " + killer.killedPid() + " was killed; the step completed");
      same &= killer.killedPid() >= 0;
    }
    boolean ok = same && close;
    System.out.println(ok ? "EQUIVALENT" : "NOT EQUIVALENT");
    return ok;
  }

  private static String arg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    if (fallback == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return fallback;
  }
}

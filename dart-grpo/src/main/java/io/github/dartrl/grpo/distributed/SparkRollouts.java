package io.github.dartrl.grpo.distributed;

import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import io.github.dartrl.grpo.rollout.Trajectory;
import io.github.dartrl.grpo.train.AdapterWeights;
import io.github.dartrl.grpo.train.DistributedRollouts;
import io.github.dartrl.grpo.train.ExecutorStep;
import io.github.dartrl.grpo.train.GradientShare;
import io.github.dartrl.grpo.train.GrpoConfig;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DistributedRollouts} on Apache Spark. Per step: the adapters are broadcast; the prompts
 * are parallelised into contiguous slices (a prompt's G samples stay in one partition, so its group
 * is whole); each partition, on its executor's cached backbone ({@link ExecutorCache}), installs
 * the adapters, rolls out (row streams by step seed and global row, so results do not depend on the
 * partitioning or on task retries), scores and computes π_old/π_ref. For each mini-batch update the
 * rows go back out with the mini-batch's loss denominators and the partitions' gradient shares are
 * summed by {@code treeReduce}; the driver clips and steps AdamW.
 *
 * <pre>{@code
 * SparkSession spark = SparkSession.builder().master("local[2]").getOrCreate();
 * try (Trainer t = Trainer.builder() ... .distributed(new SparkRollouts(spark, recipe, config, 2))
 *     .build()) { t.fit(); }
 * }</pre>
 */
public final class SparkRollouts implements DistributedRollouts {
  private static final Logger LOG = LoggerFactory.getLogger(SparkRollouts.class);
  private final JavaSparkContext sc;
  private final WorkerRecipe recipe;
  private final String fingerprint;
  private final int partitions;
  private final List<StepCosts> costs = new ArrayList<>();
  private Meter meter;

  /**
   * @param recipe how executors build their worker; its config must equal {@code driverConfig}
   * @param partitions partitions per job (at most the number of prompts are used)
   */
  public SparkRollouts(
      SparkSession spark, WorkerRecipe recipe, GrpoConfig driverConfig, int partitions) {
    this.sc = JavaSparkContext.fromSparkContext(Objects.requireNonNull(spark).sparkContext());
    this.recipe = Objects.requireNonNull(recipe, "recipe");
    this.fingerprint = ExecutorStep.fingerprint(driverConfig);
    if (partitions <= 0) {
      throw new IllegalArgumentException("partitions must be > 0, got " + partitions);
    }
    this.partitions = partitions;
  }

  /** The costs of every step so far (the last one complete once its update is done). */
  public List<StepCosts> costs() {
    List<StepCosts> out = new ArrayList<>(costs);
    if (meter != null) {
      out.add(meter.costs());
    }
    return out;
  }

  /** A prompt of the step, by its index in the step. */
  record PromptTask(int index, String id, String question, List<String> goldenAnswers)
      implements Serializable {}

  /** What one partition rolled out; {@code failure} set when its retriever failed for good. */
  record RolloutPart(
      int[] rows,
      List<byte[]> trajectories,
      double[] rewards,
      int exactMatches,
      float[][] old,
      float[][] ref,
      long retries,
      String failure,
      String executor,
      long loadNanos,
      long fetchNanos)
      implements Serializable {}

  /** A row of a gradient job. */
  record GradientRow(byte[] trajectory, float[] old, float[] ref, float advantage)
      implements Serializable {}

  /** A partition's gradient share with what it cost. */
  record GradientPart(GradientShare share, Map<String, Long> loads, long fetchNanos)
      implements Serializable {
    GradientPart plus(GradientPart o) {
      Map<String, Long> l = new LinkedHashMap<>(loads);
      l.putAll(o.loads);
      return new GradientPart(share.plus(o.share), l, Math.max(fetchNanos, o.fetchNanos));
    }
  }

  @Override
  public RolloutBatch rollout(
      AdapterWeights adapters, List<QaExample> prompts, int groupSize, long stepSeed) {
    if (meter != null) {
      costs.add(meter.costs());
    }
    meter = new Meter(costs.size() + 1);
    long t0 = System.nanoTime();
    List<PromptTask> tasks = new ArrayList<>();
    for (int i = 0; i < prompts.size(); i++) {
      QaExample ex = prompts.get(i);
      tasks.add(new PromptTask(i, ex.id(), ex.question(), List.copyOf(ex.goldenAnswers())));
    }
    Broadcast<AdapterWeights> bc = sc.broadcast(adapters);
    meter.broadcast(adapters.bytes());
    WorkerRecipe r = recipe;
    String fp = fingerprint;
    List<RolloutPart> parts;
    try {
      parts =
          sc.parallelize(tasks, Math.min(partitions, tasks.size()))
              .mapPartitions(it -> rolloutPartition(it, bc, r, fp, groupSize, stepSeed))
              .collect();
    } finally {
      bc.destroy();
    }
    int n = prompts.size() * groupSize;
    Trajectory[] ts = new Trajectory[n];
    double[] rewards = new double[n];
    float[][] old = new float[n][];
    float[][] ref = new float[n][];
    int em = 0;
    long retries = 0;
    for (RolloutPart p : parts) {
      if (p.failure() != null) {
        throw new RetrieverException(p.failure());
      }
      meter.executor(p.executor(), p.loadNanos(), p.fetchNanos());
      em += p.exactMatches();
      retries += p.retries();
      for (int k = 0; k < p.rows().length; k++) {
        int row = p.rows()[k];
        byte[] b = p.trajectories().get(k);
        ts[row] = TrajectoryCodec.decode(b);
        rewards[row] = p.rewards()[k];
        old[row] = p.old()[k];
        ref[row] = p.ref()[k];
        meter.in(b.length + 8 + floatBytes(old[row]) + floatBytes(ref[row]));
      }
    }
    for (int row = 0; row < n; row++) {
      if (ts[row] == null) {
        throw new IllegalStateException("no executor returned row " + row + " of the step");
      }
    }
    meter.rolloutNanos += System.nanoTime() - t0;
    return new RolloutBatch(List.of(ts), rewards, em, old, ref, retries);
  }

  @Override
  public GradientShare gradient(AdapterWeights adapters, GradientTask task) {
    long t0 = System.nanoTime();
    List<GradientRow> rows = new ArrayList<>();
    List<Trajectory> ts = task.trajectories();
    for (int k = 0; k < ts.size(); k++) {
      GradientRow row =
          new GradientRow(
              TrajectoryCodec.encode(ts.get(k)),
              task.oldLogProbs()[k],
              task.refLogProbs()[k],
              task.advantages()[k]);
      rows.add(row);
      meter.out(row.trajectory().length + 4 + floatBytes(row.old()) + floatBytes(row.ref()));
    }
    Broadcast<AdapterWeights> bc = sc.broadcast(adapters);
    meter.broadcast(adapters.bytes());
    WorkerRecipe r = recipe;
    String fp = fingerprint;
    double tokens = task.totalTokens();
    double seqs = task.totalSeqs();
    boolean first = task.firstOfUpdate();
    GradientPart sum;
    int slices = Math.min(partitions, rows.size());
    try {
      sum =
          sc.parallelize(rows, slices)
              .mapPartitions(it -> gradientPartition(it, bc, r, fp, tokens, seqs, first))
              .treeReduce(GradientPart::plus);
    } finally {
      bc.destroy();
    }
    sum.loads().forEach((ex, nanos) -> meter.executor(ex, nanos, 0));
    meter.executor(null, -1, sum.fetchNanos());
    meter.gradientBytes += sum.share().bytes() * slices;
    meter.gradientNanos += System.nanoTime() - t0;
    LOG.info("{}", meter.costs().line()); // the step so far (one gradient job per update)
    return sum.share();
  }

  private static long floatBytes(float[] v) {
    return v == null ? 0 : 4L * v.length;
  }

  private static Iterator<RolloutPart> rolloutPartition(
      Iterator<PromptTask> it,
      Broadcast<AdapterWeights> bc,
      WorkerRecipe recipe,
      String fingerprint,
      int groupSize,
      long stepSeed) {
    List<PromptTask> tasks = new ArrayList<>();
    it.forEachRemaining(tasks::add);
    if (tasks.isEmpty()) {
      return Collections.emptyIterator();
    }
    long f0 = System.nanoTime();
    AdapterWeights w = bc.value();
    long fetch = System.nanoTime() - f0;
    ExecutorCache.Used<RolloutPart> used =
        ExecutorCache.use(
            recipe,
            worker -> {
              check(worker, fingerprint);
              worker.install(w);
              return rollOutRuns(worker, tasks, groupSize, stepSeed, fetch);
            });
    RolloutPart p = used.value();
    return List.of(
            new RolloutPart(
                p.rows(),
                p.trajectories(),
                p.rewards(),
                p.exactMatches(),
                p.old(),
                p.ref(),
                p.retries(),
                p.failure(),
                executorId(),
                used.loadNanos(),
                fetch))
        .iterator();
  }

  /** Rolls out each contiguous run of prompt indices of a partition (slices are one run). */
  private static RolloutPart rollOutRuns(
      ExecutorStep worker, List<PromptTask> tasks, int groupSize, long stepSeed, long fetch) {
    List<Integer> rows = new ArrayList<>();
    List<byte[]> out = new ArrayList<>();
    List<Double> rewards = new ArrayList<>();
    List<float[]> old = new ArrayList<>();
    List<float[]> ref = new ArrayList<>();
    int em = 0;
    long retries = 0;
    int start = 0;
    while (start < tasks.size()) {
      int end = start + 1;
      while (end < tasks.size() && tasks.get(end).index() == tasks.get(end - 1).index() + 1) {
        end++;
      }
      List<QaExample> run = new ArrayList<>();
      for (PromptTask t : tasks.subList(start, end)) {
        run.add(QaExample.of(t.id(), t.question(), t.goldenAnswers()));
      }
      int first = tasks.get(start).index();
      RolloutBatch b;
      try {
        b = worker.rollout(run, first, groupSize, stepSeed);
      } catch (RetrieverException e) {
        // not a task failure for Spark to retry: the driver applies the failure policy
        return new RolloutPart(
            new int[0], List.of(), new double[0], 0, null, null, 0, e.getMessage(), null, -1, 0);
      }
      for (int k = 0; k < b.trajectories().size(); k++) {
        rows.add(first * groupSize + k);
        out.add(TrajectoryCodec.encode(b.trajectories().get(k)));
        rewards.add(b.rewards()[k]);
        old.add(b.oldLogProbs()[k]);
        ref.add(b.refLogProbs()[k]);
      }
      em += b.exactMatches();
      retries += b.retries();
      start = end;
    }
    return new RolloutPart(
        rows.stream().mapToInt(Integer::intValue).toArray(),
        out,
        rewards.stream().mapToDouble(Double::doubleValue).toArray(),
        em,
        old.toArray(float[][]::new),
        ref.toArray(float[][]::new),
        retries,
        null,
        null,
        -1,
        fetch);
  }

  private static Iterator<GradientPart> gradientPartition(
      Iterator<GradientRow> it,
      Broadcast<AdapterWeights> bc,
      WorkerRecipe recipe,
      String fingerprint,
      double totalTokens,
      double totalSeqs,
      boolean first) {
    List<GradientRow> rows = new ArrayList<>();
    it.forEachRemaining(rows::add);
    if (rows.isEmpty()) {
      return Collections.emptyIterator();
    }
    long f0 = System.nanoTime();
    AdapterWeights w = bc.value();
    long fetch = System.nanoTime() - f0;
    List<Trajectory> ts = new ArrayList<>();
    float[][] old = new float[rows.size()][];
    float[][] ref = new float[rows.size()][];
    float[] adv = new float[rows.size()];
    for (int k = 0; k < rows.size(); k++) {
      GradientRow r = rows.get(k);
      ts.add(TrajectoryCodec.decode(r.trajectory()));
      old[k] = r.old();
      ref[k] = r.ref();
      adv[k] = r.advantage();
    }
    ExecutorCache.Used<GradientShare> used =
        ExecutorCache.use(
            recipe,
            worker -> {
              check(worker, fingerprint);
              worker.install(w);
              return worker.gradient(
                  new GradientTask(ts, old, ref, adv, totalTokens, totalSeqs, first));
            });
    Map<String, Long> loads =
        used.loadNanos() < 0 ? Map.of() : Map.of(executorId(), used.loadNanos());
    return List.of(new GradientPart(used.value(), loads, fetch)).iterator();
  }

  private static void check(ExecutorStep worker, String fingerprint) {
    String here = ExecutorStep.fingerprint(worker.config());
    if (!here.equals(fingerprint)) {
      throw new IllegalStateException(
          "the executor's GrpoConfig differs from the driver's (fingerprint "
              + here
              + " vs "
              + fingerprint
              + "): the WorkerRecipe must build the driver's configuration: "
              + worker.config());
    }
  }

  private static String executorId() {
    SparkEnv env = SparkEnv.get();
    return (env == null ? "?" : env.executorId()) + "@" + ProcessHandle.current().pid();
  }

  /** The running measurements of the current step. */
  private static final class Meter {
    final int step;
    long rolloutNanos;
    long gradientNanos;
    int broadcasts;
    long broadcastBytes;
    long fetchNanos;
    long bytesIn;
    long bytesOut;
    long gradientBytes;
    final Map<String, Double> loads = new LinkedHashMap<>();

    Meter(int step) {
      this.step = step;
    }

    void broadcast(long bytes) {
      broadcasts++;
      broadcastBytes += bytes;
    }

    void in(long bytes) {
      bytesIn += bytes;
    }

    void out(long bytes) {
      bytesOut += bytes;
    }

    void executor(String id, long loadNanos, long fetch) {
      if (id != null && loadNanos >= 0) {
        loads.put(id, loadNanos / 1e9);
        LOG.info("executor {} loaded its backbone in {} s", id, loadNanos / 1e9);
      }
      fetchNanos = Math.max(fetchNanos, fetch);
    }

    StepCosts costs() {
      return new StepCosts(
          step,
          rolloutNanos / 1e9,
          gradientNanos / 1e9,
          broadcasts,
          broadcastBytes,
          fetchNanos / 1e9,
          bytesIn,
          bytesOut,
          gradientBytes,
          Map.copyOf(loads));
    }
  }
}

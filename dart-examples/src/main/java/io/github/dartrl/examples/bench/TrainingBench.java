package io.github.dartrl.examples.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.examples.harness.MarkdownTable;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Training-step throughput per method on one model: bare backbone forward (grad mode off), single
 * LoRA (rank 16), DART (two rank-8 adapters, the same stacked rank) and FULL, each a forward +
 * backward of the mean token log-prob over {@code rows × seq} random tokens whose roles alternate
 * reasoning and tool stretches (so DART routes both adapters). The methods are timed in alternating
 * rounds on the same weights, so a load change hits all of them alike; DART / LoRA is the median of
 * the per-round ratios.
 */
final class TrainingBench {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingBench.class);
  static final Method[] METHODS = {Method.NONE, Method.LORA, Method.DART, Method.FULL};

  /** Per method: median step ms, trainable parameters, FLOPs per step. */
  record Row(Method method, double ms, long trainable, double flops) {}

  final List<Row> rows = new ArrayList<>();
  double dartOverLora = Double.NaN;
  private ModelConfig config;
  private int batchRows;
  private int seq;

  static PolicyConfig policyConfig(Method m) {
    return PolicyConfig.of(m, m == Method.LORA ? 16 : 8);
  }

  static SequenceBatch randomBatch(ModelConfig c, int rows, int seq, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<long[]> ids = new ArrayList<>();
    List<int[]> roles = new ArrayList<>();
    for (int b = 0; b < rows; b++) {
      long[] x = new long[seq];
      int[] r = new int[seq];
      for (int t = 0; t < seq; t++) {
        x[t] = rng.nextInt(c.vocabSize());
        r[t] =
            t < Math.min(16, seq / 4)
                ? TokenRole.PROMPT.code()
                : (t / 24) % 3 == 1 ? TokenRole.TOOL.code() : TokenRole.REASONING.code();
      }
      ids.add(x);
      roles.add(r);
    }
    return new SequenceBatch(ids, roles, 0);
  }

  TrainingBench run(NDManager root, PerfConfig pc) {
    this.config = pc.trainModel();
    this.batchRows = pc.trainRows();
    this.seq = pc.trainSeq();
    SequenceBatch batch = randomBatch(config, batchRows, seq, 1);
    Map<Method, double[]> times = new EnumMap<>(Method.class);
    Map<Method, long[]> trainable = new EnumMap<>(Method.class);
    Map<Method, Double> flops = new EnumMap<>(Method.class);
    double[] ratios = new double[pc.reps()];
    try (DecoderModel model = DecoderModel.randomInit(config, 1, root)) {
      for (int round = -1; round < pc.reps(); round++) {
        for (Method m : METHODS) {
          double ms = step(model, m, batch, trainable, flops);
          LOG.info(
              "training {} round {}: {} ms",
              m,
              round < 0 ? "warm-up" : round + 1,
              String.format(Locale.ROOT, "%.0f", ms));
          if (round >= 0) {
            times.computeIfAbsent(m, k -> new double[pc.reps()])[round] = ms;
          }
        }
        if (round >= 0) {
          ratios[round] = times.get(Method.DART)[round] / times.get(Method.LORA)[round];
        }
      }
      model.setBackboneTrainable(false);
    }
    for (Method m : METHODS) {
      rows.add(new Row(m, Samples.median(times.get(m)), trainable.get(m)[0], flops.get(m)));
    }
    dartOverLora = Samples.median(ratios);
    return this;
  }

  private double step(
      DecoderModel model,
      Method m,
      SequenceBatch batch,
      Map<Method, long[]> trainable,
      Map<Method, Double> flops) {
    try (Policy p = Policy.create(model, policyConfig(m), ids -> "")) {
      long n = p.trainableParameters().values().stream().mapToLong(NDArray::size).sum();
      trainable.put(m, new long[] {m == Method.NONE ? 0 : n});
      double lora = p.adapters() == null ? 0 : FlopCount.loraPerToken(p.adapters().layers());
      FlopCount.Step kind =
          m == Method.NONE
              ? FlopCount.Step.FORWARD
              : m == Method.FULL ? FlopCount.Step.FULL : FlopCount.Step.ADAPTERS;
      flops.put(m, FlopCount.step(config, kind, batchRows, seq, lora));
      if (m == Method.NONE) {
        return Samples.timeMs(
            () -> {
              try (GradMode off = GradMode.disabled();
                  NDManager s = model.newScope()) {
                p.logProbs(s, batch, 1f).sum().getFloat();
              }
            });
      }
      try (NDManager gm = model.newScope();
          Gradients g = new Gradients(p.trainableParameters(), gm)) {
        return Samples.timeMs(
            () -> {
              try (NDManager s = model.newScope()) {
                g.backward(() -> p.logProbs(s, batch, 1f).mean().neg());
              }
            });
      }
    }
  }

  /** DART's achieved GFLOP/s. */
  double gflops(Method m) {
    for (Row r : rows) {
      if (r.method() == m) {
        return r.flops() / (r.ms() * 1e6);
      }
    }
    return Double.NaN;
  }

  String markdown(double gemm) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "### Training step: d=%d, %d layers, vocab %d (%,d params), batch %d × %d tokens%n%n",
            config.hiddenSize(),
            config.numLayers(),
            config.vocabSize(),
            config.parameterCount(),
            batchRows,
            seq));
    MarkdownTable t =
        MarkdownTable.labelled(
            "method",
            "trainable params",
            "step ms",
            "tokens/s",
            "GFLOP per step",
            "GFLOP/s",
            "vs GEMM");
    double tokens = (double) batchRows * seq;
    for (Row r : rows) {
      double gf = r.flops() / (r.ms() * 1e6);
      t.row(
          r.method() == Method.NONE ? "NONE (forward, no grad)" : r.method(),
          f("%,d", r.trainable()),
          f("%.0f", r.ms()),
          f("%.0f", tokens / (r.ms() / 1000)),
          f("%.1f", r.flops() / 1e9),
          f("%.1f", gf),
          f("%.2f", gf / gemm));
    }
    sb.append(t);
    sb.append(
        String.format(
            Locale.ROOT,
            "%nDART / LoRA step time: **%.2f** (median of the per-round ratios).%n%n",
            dartOverLora));
    return sb.toString();
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

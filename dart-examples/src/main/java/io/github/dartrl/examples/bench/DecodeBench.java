package io.github.dartrl.examples.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.examples.harness.MarkdownTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decoding on one model: batch-1 ms/token per method and context against the weight-streaming
 * floor, rollout tokens/s per batch size, the cost of successive observation appends, and the share
 * of a decode step spent outside libtorch's kernels.
 *
 * <p>The share outside kernels is measured with a <em>twin</em>: a model with the same layers,
 * heads, vocabulary and adapters but hidden size 2 per head, so every op runs with the same count,
 * dispatch and JNI cost while its arithmetic is negligible. Twin ms/token over the real model's is
 * the fraction of a step that does not scale with the weights (JNI, dispatch, Java-side sampling).
 * The per-op cost of a trivial op gives the equivalent op count.
 */
final class DecodeBench {
  private static final Logger LOG = LoggerFactory.getLogger(DecodeBench.class);
  static final Method[] METHODS = {Method.NONE, Method.LORA, Method.DART};

  ModelConfig config;
  ModelConfig twin;
  int tokens;
  List<Integer> contexts;
  final Map<String, Double> msPerToken = new LinkedHashMap<>(); // "METHOD@ctx" and "twin@ctx"
  final Map<Integer, Double> rolloutTps = new LinkedHashMap<>();
  int rolloutTokens;
  final List<double[]> appends = new ArrayList<>(); // k, context before, ms
  int observationTokens;
  double perOpUs;
  final Map<Method, OpProfile> profiles = new LinkedHashMap<>(); // one decode of `tokens` tokens
  double floorMs;
  double gemvGbs;

  static String key(Object method, int ctx) {
    return method + "@" + ctx;
  }

  DecodeBench run(NDManager root, PerfConfig pc, double gemvGbs) throws IOException {
    this.config = pc.decodeModel();
    this.tokens = pc.decodeTokens();
    this.contexts = pc.contexts();
    this.gemvGbs = gemvGbs;
    this.floorMs = 4.0 * config.parameterCount() / (gemvGbs * 1e6);
    int heads = config.numHeads();
    this.twin =
        ModelConfig.qwen2(
            config.vocabSize(),
            2 * heads,
            config.numLayers(),
            heads,
            config.numKvHeads(),
            2 * heads,
            config.maxPositions());
    int ctx0 = contexts.get(0);
    Map<String, double[]> runs = new LinkedHashMap<>();
    try (DecoderModel model = DecoderModel.randomInit(config, 2, root);
        DecoderModel small = DecoderModel.randomInit(twin, 2, root)) {
      for (int round = -1; round < pc.reps(); round++) {
        for (Method m : METHODS) {
          for (int ctx : contexts) {
            double ms = decodeMs(model, m, ctx);
            record(runs, key(m, ctx), round, pc.reps(), ms);
          }
        }
        record(runs, key("twin", ctx0), round, pc.reps(), decodeMs(small, Method.DART, ctx0));
        LOG.info("decode round {} done", round < 0 ? "warm-up" : round + 1);
      }
      runs.forEach((k, v) -> msPerToken.put(k, Samples.median(v)));
      this.rolloutTokens = pc.rolloutTokens();
      Map<Integer, double[]> tps = new LinkedHashMap<>();
      for (int round = -1; round < pc.reps(); round++) {
        for (int b : pc.rolloutBatches()) {
          double t = rolloutTps(model, b, round);
          if (round >= 0) {
            tps.computeIfAbsent(b, k -> new double[pc.reps()])[round] = t;
          }
        }
        LOG.info("rollout round {} done", round < 0 ? "warm-up" : round + 1);
      }
      tps.forEach((b, v) -> rolloutTps.put(b, Samples.median(v)));
      multiTurn(model, pc);
      for (Method m : METHODS) {
        profiles.put(m, profileDecode(model, m, ctx0));
      }
    }
    perOpUs = perOpMicros(root);
    return this;
  }

  private static void record(Map<String, double[]> runs, String k, int round, int reps, double v) {
    if (round >= 0) {
      runs.computeIfAbsent(k, x -> new double[reps])[round] = v;
    }
  }

  private double decodeMs(DecoderModel model, Method m, int ctx) {
    long[] prompt = new long[ctx];
    SplittableRandom rng = new SplittableRandom(ctx);
    for (int i = 0; i < ctx; i++) {
      prompt[i] = rng.nextInt(model.config().vocabSize());
    }
    try (Policy p = Policy.create(model, TrainingBench.policyConfig(m), ids -> "");
        DecodeSession s =
            new DecodeSession(model, List.of(prompt), ctx + tokens + 1, p.schedule(1))) {
      double ms =
          Samples.timeMs(
              () -> s.generate(SamplingParams.greedy(tokens), new boolean[] {true}, ids -> ""));
      return ms / tokens;
    }
  }

  private OpProfile profileDecode(DecoderModel model, Method m, int ctx) throws IOException {
    long[] prompt = new long[ctx];
    Arrays.fill(prompt, 1);
    try (Policy p = Policy.create(model, TrainingBench.policyConfig(m), ids -> "");
        DecodeSession s =
            new DecodeSession(model, List.of(prompt), ctx + tokens + 1, p.schedule(1))) {
      return OpProfile.of(
          () -> s.generate(SamplingParams.greedy(tokens), new boolean[] {true}, ids -> ""));
    }
  }

  /** Sampled rollout of {@code batch} rows under DART, prefill included: tokens/s. */
  private double rolloutTps(DecoderModel model, int batch, int seed) {
    SplittableRandom rng = new SplittableRandom(seed + 100);
    List<long[]> prompts = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      long[] p = new long[32];
      for (int i = 0; i < p.length; i++) {
        p[i] = rng.nextInt(model.config().vocabSize());
      }
      prompts.add(p);
    }
    boolean[] all = new boolean[batch];
    Arrays.fill(all, true);
    try (Policy p = Policy.create(model, TrainingBench.policyConfig(Method.DART), ids -> "")) {
      long t0 = System.nanoTime();
      try (DecodeSession s =
          new DecodeSession(model, prompts, 32 + rolloutTokens + 1, p.schedule(batch))) {
        s.generate(SamplingParams.sample(1.0, rolloutTokens, seed + 7), all, ids -> "");
      }
      return batch * (double) rolloutTokens / ((System.nanoTime() - t0) / 1e9);
    }
  }

  /** DART, batch 1: generate 16 tokens, append a 32-token observation, {@code turns} times. */
  private void multiTurn(DecoderModel model, PerfConfig pc) {
    int prompt = 64;
    int gen = 16;
    observationTokens = 32;
    SplittableRandom rng = new SplittableRandom(5);
    long[] p = new long[prompt];
    for (int i = 0; i < prompt; i++) {
      p[i] = rng.nextInt(model.config().vocabSize());
    }
    int capacity = prompt + pc.turns() * (gen + observationTokens + 2) + 1;
    double[][] ms = new double[pc.turns()][pc.reps()];
    int[] before = new int[pc.turns()];
    try (Policy pol = Policy.create(model, TrainingBench.policyConfig(Method.DART), ids -> "")) {
      for (int round = -1; round < pc.reps(); round++) {
        try (DecodeSession s = new DecodeSession(model, List.of(p), capacity, pol.schedule(1))) {
          for (int k = 0; k < pc.turns(); k++) {
            s.generate(SamplingParams.greedy(gen), new boolean[] {true}, ids -> "");
            long[] obs = new long[observationTokens];
            for (int i = 0; i < obs.length; i++) {
              obs[i] = rng.nextInt(model.config().vocabSize());
            }
            before[k] = s.tokens(0).length;
            double t = Samples.timeMs(() -> s.append(List.of(obs), TokenRole.OBSERVATION));
            if (round >= 0) {
              ms[k][round] = t;
            }
          }
        }
      }
    }
    for (int k = 0; k < pc.turns(); k++) {
      appends.add(new double[] {k + 1, before[k], Samples.median(ms[k])});
    }
  }

  /** Median cost of one trivial op ({@code a + b} on 1-element arrays, result closed). */
  private static double perOpMicros(NDManager root) {
    try (NDManager m = root.newSubManager();
        GradMode off = GradMode.disabled()) {
      NDArray a = m.ones(new Shape(1));
      NDArray b = m.ones(new Shape(1));
      int n = 2000;
      double ms = Samples.medianMs(() -> addMany(a, b, n), 1, 5);
      return ms * 1000 / n;
    }
  }

  private static void addMany(NDArray a, NDArray b, int n) {
    for (int i = 0; i < n; i++) {
      a.add(b).close();
    }
  }

  double ms(Object method, int ctx) {
    return msPerToken.getOrDefault(key(method, ctx), Double.NaN);
  }

  /** Fraction of a DART decode step (first context) outside libtorch kernels. */
  double outsideKernels() {
    int c = contexts.get(0);
    return ms("twin", c) / ms(Method.DART, c);
  }

  double appendRatio() {
    return appends.get(appends.size() - 1)[2] / appends.get(0)[2];
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "### Decode, batch 1: d=%d, %d layers, vocab %d (%,d params)%n%n",
            config.hiddenSize(),
            config.numLayers(),
            config.vocabSize(),
            config.parameterCount()));
    sb.append(
        String.format(
            Locale.ROOT,
            "Greedy, %d new tokens after a prompt of the given length (prefill not timed). "
                + "Weight-streaming floor = 4 · P bytes / GEMV bandwidth = %.1f MB / %.1f GB/s ="
                + " **%.2f ms/token**.%n%n",
            tokens,
            4.0 * config.parameterCount() / 1e6,
            gemvGbs,
            floorMs));
    MarkdownTable perToken =
        MarkdownTable.labelled("method", "context", "ms/token", "vs floor", "vs NONE", "vs LORA");
    for (Method m : METHODS) {
      for (int c : contexts) {
        double ms = ms(m, c);
        perToken.row(
            m,
            c,
            f("%.2f", ms),
            f("%.2f", ms / floorMs),
            f("%.2f", ms / ms(Method.NONE, c)),
            f("%.2f", ms / ms(Method.LORA, c)));
      }
    }
    sb.append(perToken);
    int b0 = rolloutTps.keySet().iterator().next();
    sb.append(
        String.format(
            Locale.ROOT,
            "%n### Rollout throughput (DART, sampled, prompt 32, %d tokens per row, prefill"
                + " included)%n%n",
            rolloutTokens));
    MarkdownTable rollout = new MarkdownTable().right("batch", "tokens/s", "vs batch " + b0);
    for (Map.Entry<Integer, Double> e : rolloutTps.entrySet()) {
      rollout.row(
          e.getKey(), f("%.1f", e.getValue()), f("%.2f", e.getValue() / rolloutTps.get(b0)));
    }
    sb.append(rollout);
    sb.append(
        String.format(
            Locale.ROOT,
            "%n### Multi-turn: observation appends (DART, batch 1, %d-token observations after"
                + " 16 generated tokens each)%n%n",
            observationTokens));
    MarkdownTable appendTable =
        new MarkdownTable().right("k", "tokens before", "append ms", "vs first");
    for (double[] a : appends) {
      appendTable.row((int) a[0], (int) a[1], f("%.2f", a[2]), f("%.2f", a[2] / appends.get(0)[2]));
    }
    sb.append(appendTable);
    int c = contexts.get(0);
    sb.append(
        String.format(
            Locale.ROOT,
            "%n### Share of a decode step outside libtorch kernels%n%n"
                + "Twin model (same %d layers, heads, vocabulary and DART adapters, hidden size %d):"
                + " %.2f ms/token vs %.2f ms/token for the real model at context %d, so **%.0f %%**"
                + " of a DART decode step is per-op overhead (JNI, dispatch, Java-side work) rather"
                + " than arithmetic. One trivial op costs %.1f µs, so the twin's step is worth ≈ %.0f"
                + " such ops.%n%n",
            twin.numLayers(),
            twin.hiddenSize(),
            ms("twin", c),
            ms(Method.DART, c),
            c,
            100 * outsideKernels(),
            perOpUs,
            ms("twin", c) * 1000 / perOpUs));
    sb.append(
        String.format(
            Locale.ROOT,
            "libtorch operators dispatched per generated token (PyTorch profiler, top-level ops;"
                + " load-independent) and the profiled share of wall time inside them:%n%n"));
    MarkdownTable ops =
        MarkdownTable.labelled("method", "ops/token", "ops/token/layer", "inside ops");
    for (Map.Entry<Method, OpProfile> e : profiles.entrySet()) {
      OpProfile op = e.getValue();
      ops.row(
          e.getKey(),
          f("%.0f", op.ops() / (double) tokens),
          f("%.1f", op.ops() / (double) tokens / config.numLayers()),
          f("%.0f %%", 100 * op.insideMs() / op.spanMs()));
    }
    sb.append(ops);
    sb.append('\n');
    return sb.toString();
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}

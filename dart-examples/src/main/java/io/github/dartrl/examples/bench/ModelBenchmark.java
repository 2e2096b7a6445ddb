package io.github.dartrl.examples.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.TokenRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the decoder against this machine's own ceiling, in one run: fp32 GEMM GFLOP/s through
 * libtorch; forward+backward tokens/s and achieved GFLOP/s per training method (bare backbone
 * forward, FULL, single LoRA, DART) for a tiny model and a d=512, 8-layer model; decode ms/token at
 * two context lengths. Prints Markdown tables with the ratios.
 *
 * <p>FLOPs are counted, not measured: forward = 2 × (matmul parameters) + 4 × T_ctx × d per layer
 * for attention, per token; backward = 2 × forward when weights get gradients (FULL), 1 × forward
 * when only activations do (frozen backbone + LoRA, LoRA's own FLOPs being &lt; 1%).
 */
@Command(
    name = "model-benchmark",
    mixinStandardHelpOptions = true,
    description = "Benchmark GEMM, training steps per method and decoding.")
public final class ModelBenchmark implements Callable<Integer> {
  @Option(names = "--reps", defaultValue = "3", description = "timed repetitions (median)")
  int reps;

  @Option(names = "--batch", defaultValue = "8")
  int batch;

  @Option(names = "--seq", defaultValue = "256")
  int seq;

  @Option(names = "--skip-large", description = "only the tiny model")
  boolean skipLarge;

  public static void main(String[] args) {
    System.setProperty("offline", "true");
    System.exit(new CommandLine(new ModelBenchmark()).execute(args));
  }

  @Override
  public Integer call() {
    try (NDManager root = NDManager.newBaseManager("PyTorch")) {
      System.out.printf(
          Locale.ROOT,
          "# dart4j model benchmark%n%nCPU threads: %d, engine %s %s%n%n",
          Runtime.getRuntime().availableProcessors(),
          Engine.getInstance().getEngineName(),
          Engine.getInstance().getVersion());
      double gemm = gemm(root);
      List<ModelConfig> models = new ArrayList<>();
      models.add(ModelConfig.qwen2(4096, 128, 4, 4, 2, 384, 1024));
      if (!skipLarge) {
        models.add(ModelConfig.qwen2(32000, 512, 8, 8, 4, 1536, 1024));
      }
      for (ModelConfig c : models) {
        training(root, c, gemm);
        decode(root, c);
      }
    }
    return 0;
  }

  private double gemm(NDManager root) {
    System.out.println("## fp32 GEMM ceiling (libtorch)\n\n| n | ms | GFLOP/s |\n|---:|---:|---:|");
    double best = 0;
    for (int n : new int[] {512, 1024, 2048}) {
      try (NDManager m = root.newSubManager()) {
        NDArray a = m.randomNormal(new Shape(n, n));
        NDArray b = m.randomNormal(new Shape(n, n));
        double ms = median(() -> a.matMul(b).close(), n <= 1024 ? 10 : 3);
        double gflops = 2.0 * n * n * n / (ms * 1e6);
        best = Math.max(best, gflops);
        System.out.printf(Locale.ROOT, "| %d | %.2f | %.1f |%n", n, ms, gflops);
      }
    }
    System.out.println();
    return best;
  }

  /**
   * Parameters that take part in matmuls per token (embedding lookup excluded, LM head included).
   */
  static double matmulParams(ModelConfig c) {
    double d = c.hiddenSize();
    double q = c.numHeads() * (double) c.headDim();
    double kv = c.numKvHeads() * (double) c.headDim();
    double layer = d * q * 2 + 2 * d * kv + 3 * d * c.intermediateSize();
    return c.numLayers() * layer + d * c.vocabSize();
  }

  private void training(NDManager root, ModelConfig c, double gemm) {
    System.out.printf(
        Locale.ROOT,
        "## Training step, d=%d, %d layers, vocab %d (%,d params), batch %d x %d tokens%n%n",
        c.hiddenSize(),
        c.numLayers(),
        c.vocabSize(),
        c.parameterCount(),
        batch,
        seq);
    System.out.println(
        "| method | trainable params | step ms | tokens/s | GFLOP/s | vs GEMM | vs LORA |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|");
    double tokens = (double) batch * seq;
    double fwdFlops =
        tokens * (2 * matmulParams(c) + 4.0 * seq * c.hiddenSize() * c.numLayers() / 2);
    SplittableRandom rng = new SplittableRandom(1);
    List<long[]> ids = new ArrayList<>();
    List<int[]> roles = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      long[] x = new long[seq];
      int[] r = new int[seq];
      for (int t = 0; t < seq; t++) {
        x[t] = rng.nextInt(c.vocabSize());
        // alternate reasoning / tool stretches so DART routes both adapters
        r[t] =
            t < 16
                ? TokenRole.PROMPT.code()
                : (t / 24) % 3 == 1 ? TokenRole.TOOL.code() : TokenRole.REASONING.code();
      }
      ids.add(x);
      roles.add(r);
    }
    SequenceBatch sb = new SequenceBatch(ids, roles, 0);
    double loraMs = 0;
    try (DecoderModel model = DecoderModel.randomInit(c, 1, root)) {
      for (Method method : new Method[] {Method.NONE, Method.FULL, Method.LORA, Method.DART}) {
        try (Policy p =
            Policy.create(
                model, PolicyConfig.of(method, method == Method.LORA ? 16 : 8), ids2text -> "")) {
          boolean forwardOnly = method == Method.NONE;
          double ms;
          long trainable = p.trainableParameters().values().stream().mapToLong(NDArray::size).sum();
          if (forwardOnly) {
            ms =
                median(
                    () -> {
                      try (GradMode off = GradMode.disabled();
                          NDManager s = model.newScope()) {
                        p.logProbs(s, sb, 1f).sum().getFloat();
                      }
                    },
                    reps);
          } else {
            try (NDManager gm = model.newScope();
                Gradients g = new Gradients(p.trainableParameters(), gm)) {
              ms =
                  median(
                      () -> {
                        try (NDManager s = model.newScope()) {
                          g.backward(() -> p.logProbs(s, sb, 1f).mean().neg());
                        }
                      },
                      reps);
            }
          }
          double flops =
              forwardOnly ? fwdFlops : method == Method.FULL ? 3 * fwdFlops : 2 * fwdFlops;
          double gf = flops / (ms * 1e6);
          if (method == Method.LORA) {
            loraMs = ms;
          }
          System.out.printf(
              Locale.ROOT,
              "| %s | %,d | %.0f | %.0f | %.1f | %.2f | %s |%n",
              forwardOnly ? "NONE (forward only)" : method,
              trainable,
              ms,
              tokens / (ms / 1000),
              gf,
              gf / gemm,
              method == Method.DART && loraMs > 0
                  ? String.format(Locale.ROOT, "%.2f", ms / loraMs)
                  : "");
        }
      }
      model.setBackboneTrainable(false);
    }
    System.out.println();
  }

  private void decode(NDManager root, ModelConfig c) {
    System.out.printf(
        Locale.ROOT, "## Decode, batch 1, d=%d, %d layers%n%n", c.hiddenSize(), c.numLayers());
    System.out.println("| method | context | ms/token | vs NONE |\n|---|---:|---:|---:|");
    int n = 32;
    try (DecoderModel model = DecoderModel.randomInit(c, 2, root)) {
      double[] bare = new double[2];
      for (Method method : new Method[] {Method.NONE, Method.LORA, Method.DART}) {
        try (Policy p =
            Policy.create(
                model, PolicyConfig.of(method, method == Method.LORA ? 16 : 8), ids -> "")) {
          int[] contexts = {32, 512};
          for (int i = 0; i < contexts.length; i++) {
            int ctx = contexts[i];
            long[] prompt = new long[ctx];
            Arrays.fill(prompt, 5);
            SamplingParams params = SamplingParams.greedy(n);
            double[] perToken = new double[reps];
            for (int r = -1; r < reps; r++) {
              try (DecodeSession s =
                  new DecodeSession(model, List.of(prompt), ctx + n + 1, p.schedule(1))) {
                long t0 = System.nanoTime();
                s.generate(params, new boolean[] {true}, ids -> "");
                if (r >= 0) {
                  perToken[r] = (System.nanoTime() - t0) / 1e6 / n;
                }
              }
            }
            Arrays.sort(perToken);
            double ms = perToken[reps / 2];
            if (method == Method.NONE) {
              bare[i] = ms;
            }
            System.out.printf(
                Locale.ROOT, "| %s | %d | %.2f | %.2f |%n", method, ctx, ms, ms / bare[i]);
          }
        }
      }
    }
    System.out.println();
  }

  /** Median wall time in ms of {@code runs} runs after one warm-up run. */
  private static double median(Runnable r, int runs) {
    r.run();
    double[] t = new double[Math.max(1, runs)];
    for (int i = 0; i < t.length; i++) {
      long t0 = System.nanoTime();
      r.run();
      t[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(t);
    return t[t.length / 2];
  }
}

package io.github.dartrl.examples.jmh;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decode steps of a batched {@link DecodeSession}: sampled tokens per row at temperature 1 after a
 * 32-token prompt, for NONE / LoRA / DART and batch 1, 4, 16 — the block behind rollout throughput.
 * Each invocation gets a fresh session whose prefill runs in the (untimed) setup, then times
 * {@value #STEPS} steps; the score is ms per step (all rows advance one token per step).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dai.djl.offline=true", "-Doffline=true", "-Xmx4g"})
public class DecodeStepBenchmark {
  static final int STEPS = 16;
  private static final int PROMPT = 32;

  @Param({"NONE", "LORA", "DART"})
  public Method method;

  @Param({"1", "4", "16"})
  public int batch;

  /** {@code d_model x layers}: vocab 32000, 8 heads / 4 KV heads, MLP 3 × d. */
  @Param({"512x12"})
  public String model;

  private NDManager root;
  private DecoderModel decoder;
  private Policy policy;
  private DecodeSession session;
  private boolean[] all;
  private long seed;

  @Setup(Level.Trial)
  public void load() {
    String[] dl = model.split("x");
    int d = Integer.parseInt(dl[0]);
    int layers = Integer.parseInt(dl[1]);
    root = NDManager.newBaseManager("PyTorch");
    decoder =
        DecoderModel.randomInit(ModelConfig.qwen2(32000, d, layers, 8, 4, 3 * d, 2048), 2, root);
    policy =
        Policy.create(decoder, PolicyConfig.of(method, method == Method.LORA ? 16 : 8), i -> "");
    all = new boolean[batch];
    Arrays.fill(all, true);
  }

  /** A fresh session per invocation: prompts prefilled here, outside the timing. */
  @Setup(Level.Invocation)
  public void prefill() {
    SplittableRandom rng = new SplittableRandom(++seed);
    List<long[]> prompts = new ArrayList<>();
    for (int b = 0; b < batch; b++) {
      long[] p = new long[PROMPT];
      for (int i = 0; i < PROMPT; i++) {
        p[i] = rng.nextInt(decoder.config().vocabSize());
      }
      prompts.add(p);
    }
    session = new DecodeSession(decoder, prompts, PROMPT + STEPS + 1, policy.schedule(batch));
  }

  @TearDown(Level.Invocation)
  public void closeSession() {
    session.close();
  }

  @TearDown(Level.Trial)
  public void unload() {
    policy.close();
    decoder.close();
    root.close();
  }

  @Benchmark
  @OperationsPerInvocation(STEPS)
  public void steps(Blackhole bh) {
    bh.consume(session.generate(SamplingParams.sample(1.0, STEPS, seed), all, ids -> ""));
  }
}

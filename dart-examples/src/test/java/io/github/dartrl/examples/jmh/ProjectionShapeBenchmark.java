package io.github.dartrl.examples.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One projection {@code y = x · Wᵀ} through the op the decoder uses ({@code Linear.linear}), at the
 * row counts of a decode step (1 row per sequence: batch 1, 4, 16) and of training (2048 tokens),
 * for the shapes of the d=512 benchmark model. Divide 2 · rows · in · out by the time for GFLOP/s:
 * how far small-row products fall below the GEMM ceiling is what bounds batched rollouts (the
 * weights are read once per step, so with perfect scaling batch 16 would cost what batch 1 does).
 * The {@code layout} parameter compares the model's weight layout with an in-major copy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Dai.djl.offline=true", "-Doffline=true"})
public class ProjectionShapeBenchmark {
  /** Rows of x: sequences in a decode step, or tokens in a training batch. */
  @Param({"1", "4", "16", "2048"})
  public int rows;

  /** {@code in x out} of the projection: MLP up, MLP down, LM head of the d=512 model. */
  @Param({"512x1536", "1536x512", "512x32000"})
  public String shape;

  /**
   * How the weight is stored and multiplied: {@code linear} = HF layout {@code [out, in]} through
   * {@code Linear.linear} (what the model does; a GEMM with a transposed operand); {@code inMajor}
   * = a contiguous {@code [in, out]} copy and {@code x · W} (a plain GEMM).
   */
  @Param({"linear", "inMajor"})
  public String layout;

  private NDManager root;
  private NDArray x;
  private NDArray weight;

  @Setup
  public void setUp() {
    String[] io = shape.split("x");
    int in = Integer.parseInt(io[0]);
    int out = Integer.parseInt(io[1]);
    root = NDManager.newBaseManager("PyTorch");
    x = root.randomNormal(new Shape(rows, in));
    weight = root.randomNormal(new Shape(out, in)).mul(0.02f);
    if (layout.equals("inMajor")) {
      weight = weight.transpose().duplicate(); // contiguous [in, out]
    }
  }

  @TearDown
  public void tearDown() {
    root.close();
  }

  /** One projection; its result is freed with the scope, as in the model's per-step scopes. */
  @Benchmark
  public void project(Blackhole bh) {
    try (NDManager scope = root.newSubManager()) {
      NDArray y =
          layout.equals("inMajor") ? x.matMul(weight) : Linear.linear(x, weight).singletonOrThrow();
      y.attach(scope);
      bh.consume(y);
    }
  }
}

package io.github.dartrl.examples;

/**
 * Runs libtorch's matrix products through MKL's <em>Conditional Numerical Reproducibility</em>
 * kernels, by setting {@value #VARIABLE}={@value #AUTO} in this process's environment before the
 * first matrix product (MKL reads the variable once, at its first BLAS call).
 *
 * <p>Why: libtorch's CPU build links oneMKL, and on the AMD EPYC of this project's machine MKL's
 * default dispatch runs products with few rows and 512-wide or wider rows (decode steps of 4-16
 * rows, the LM head) through a slower path than its CNR kernels. Measured (docs/benchmarks.md): a
 * 16-row projection [512 → 1536] 427 → 294 µs, the 16-row LM head [512 → 32000] 7.7 → 5.1 ms,
 * batch-16 DART decoding of a 54 M-parameter model 318 → 464 tokens/s; large square GEMMs are
 * unchanged. For the bundled world's 128-wide model no gain is measurable: quickstart GRPO steps
 * took 4.3-6.6 s across three runs with and without it (same trajectories, same EM), a spread of
 * this VM, not of the setting. {@value #AUTO} lets MKL pick the best instruction set the CPU has
 * and makes results bit-reproducible from run to run on the same machine and thread count.
 *
 * <p>Call {@link #enable()} first thing in {@code main}, before any matrix product ({@code dart4j}
 * does with {@code -Ddart4j.mkl.cnr=true}); later calls cannot change MKL's choice. A value the
 * user set is left alone. It is an opt-in: its gain is measured for models of tens of millions of
 * parameters, and changing a process's environment is the application's decision.
 */
public final class MklCnrMode {
  /** MKL's switch. */
  public static final String VARIABLE = "MKL_CBWR";

  /** CNR with the best code path MKL finds for this CPU. */
  public static final String AUTO = "AUTO";

  private MklCnrMode() {}

  /**
   * The mode MKL will use or uses, as set in this process's environment, or null when unset (MKL's
   * default dispatch).
   */
  public static String current() {
    return NativeEnvironment.get(VARIABLE);
  }

  /**
   * Sets {@value #VARIABLE}={@value #AUTO} unless the variable is already set; Linux only.
   *
   * @return whether the variable is {@value #AUTO} after the call
   */
  public static boolean enable() {
    return NativeEnvironment.setIfAbsent(VARIABLE, AUTO);
  }
}

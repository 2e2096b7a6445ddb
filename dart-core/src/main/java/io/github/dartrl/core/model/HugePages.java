package io.github.dartrl.core.model;

/**
 * Backs libtorch's large CPU tensors with transparent huge pages, by setting {@value #VARIABLE} = 1
 * in this process's environment before libtorch allocates its first tensor (libtorch reads the
 * variable once, at that moment).
 *
 * <p>Why: on Linux with THP in {@code madvise} mode (the common default), every fresh tensor of
 * more than a few MB is backed by 4 KB pages and pays one page fault per page when first written,
 * which is costly on virtual machines. Measured on this project's 2-core VM (docs/benchmarks.md):
 * the LM head of a training micro-batch (2048 × 32000 logits) ran in 793 ms without and 426 ms with
 * huge pages, and a DART training step of a 41.6 M-parameter model got 19% faster. But the GRPO
 * update of the bundled world's 0.9 M-parameter model got about 30% slower (its many 2-20 MB
 * tensors each take whole 2 MB pages): turn it on for real models, not for tiny ones.
 *
 * <p>Call {@link #enable()} first thing in {@code main}, before any NDArray exists; later calls
 * cannot change libtorch's choice. A variable the user set (to anything) is left alone. It is an
 * opt-in, because changing a process's environment is the application's decision ({@code
 * scripts/bench.sh} turns it on through the variable).
 */
public final class HugePages {
  /** libtorch's switch (c10's CPU allocator, PyTorch ≥ 2.1, Linux). */
  public static final String VARIABLE = "THP_MEM_ALLOC_ENABLE";

  private HugePages() {}

  /**
   * Whether {@value #VARIABLE} is 1 in this process's environment now (as the C library sees it,
   * which is what libtorch reads).
   */
  public static boolean isEnabled() {
    return "1".equals(NativeEnvironment.get(VARIABLE));
  }

  /**
   * Sets {@value #VARIABLE}=1 unless it is already set; Linux only.
   *
   * @return whether the variable is set to 1 after the call (false elsewhere than Linux, when the
   *     user set another value, or when the C library could not be reached)
   */
  public static boolean enable() {
    return NativeEnvironment.setIfAbsent(VARIABLE, "1");
  }
}

package io.github.dartrl.examples;

/**
 * Backs libtorch's large CPU tensors with transparent huge pages, by setting {@value #VARIABLE} = 1
 * in this process's environment before libtorch allocates its first tensor (libtorch reads the
 * variable once, at that moment).
 *
 * <p>Why: on Linux with THP in {@code madvise} mode (the common default), every fresh tensor of
 * more than a few MB is backed by 4 KB pages and pays one page fault per page when first written,
 * which is costly on virtual machines. Measured on this project's 2-core VM (docs/benchmarks.md):
 * the LM head of 2048 training positions (2048 × 32000 logits) ran in 793 ms without and 426 ms
 * with huge pages. But small tensors get slower. Measured: an elementwise op on a 16 × 1536 tensor
 * (a batch-16 decode step's MLP) 20 → 250 µs, the bundled world's 0.9 M-parameter GRPO update ~30%
 * slower. The likely cause, not proven: glibc reuses huge-page-advised ranges for small allocations
 * and, after trimming its heap, re-faults whole 2 MB pages (raising glibc's trim threshold removed
 * the micro-benchmark's slowdown). Since the LM head's log-probs are computed in 32 MB chunks, the
 * project's own benchmarks no longer gain from it: it is off by default everywhere, kept for models
 * whose per-op tensors are all large.
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

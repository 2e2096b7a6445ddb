package io.github.dartrl.examples;

import io.github.dartrl.core.model.Devices;
import java.util.List;

/**
 * Native switches dart4j's entry points set first thing, before any tensor or matrix product exists
 * (the native side reads them once), when asked for: MKL's CNR kernels ({@link MklCnrMode}) with
 * {@code -Ddart4j.mkl.cnr=true}, libtorch's huge pages ({@link HugePages}) with {@code
 * -Ddart4j.huge.pages=true} (or {@code THP_MEM_ALLOC_ENABLE=1} in the environment). Both are off
 * unless asked for: CNR's gain is measured for models of tens of millions of parameters and none is
 * measurable for the bundled world's 0.9 M-parameter model; huge pages slow small tensors down
 * (docs/benchmarks.md). {@code scripts/bench.sh} and the train-real recipe turn CNR on.
 */
public final class NativeSwitches {
  /** {@code true} turns MKL's CNR kernels on. */
  public static final String MKL_CNR_PROPERTY = "dart4j.mkl.cnr";

  /** {@code true} turns libtorch's huge pages on. */
  public static final String HUGE_PAGES_PROPERTY = "dart4j.huge.pages";

  private NativeSwitches() {}

  /** Sets the switches their properties ask for (see the class comment). */
  public static void apply() {
    if (Boolean.getBoolean(MKL_CNR_PROPERTY)) {
      MklCnrMode.enable();
    }
    if (Boolean.getBoolean(HUGE_PAGES_PROPERTY)) {
      HugePages.enable();
    }
  }

  /**
   * JVM flags that give a child JVM running {@link #apply()} the switches in effect here (a child
   * measured under other kernels or pages would not be comparable with its parent).
   */
  public static List<String> childFlags() {
    return List.of(
        "-D" + MKL_CNR_PROPERTY + "=" + (MklCnrMode.current() != null),
        "-D" + HUGE_PAGES_PROPERTY + "=" + HugePages.isEnabled(),
        // and the device: a child measured on another device would not be comparable either
        "-D" + JobDevice.PROPERTY + "=" + Devices.name(JobDevice.get()));
  }
}

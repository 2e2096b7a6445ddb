package io.github.dartrl.examples;

import io.github.dartrl.core.model.HugePages;
import io.github.dartrl.core.model.MklCnrMode;
import java.util.List;

/**
 * The native switches dart4j's entry points set first thing, before any tensor or matrix product
 * exists (the native side reads them once): MKL's CNR kernels ({@link MklCnrMode}), on unless
 * {@code -Ddart4j.mkl.cnr=false}, and libtorch's huge pages ({@link HugePages}), off unless {@code
 * -Ddart4j.huge.pages=true} or {@code THP_MEM_ALLOC_ENABLE=1} in the environment (they pay off for
 * models of tens of millions of parameters and slow the bundled world's tiny model down; measured
 * in docs/benchmarks.md). Example: {@code JAVA_OPTS="-Ddart4j.mkl.cnr=false" scripts/dart4j ...}
 * reproduces a run made before CNR was on.
 */
public final class NativeDefaults {
  /** {@code false} keeps MKL's default dispatch. */
  public static final String MKL_CNR_PROPERTY = "dart4j.mkl.cnr";

  /** {@code true} turns libtorch's huge pages on. */
  public static final String HUGE_PAGES_PROPERTY = "dart4j.huge.pages";

  private NativeDefaults() {}

  /** Sets the switches their properties ask for (see the class comment). */
  public static void apply() {
    if (Boolean.parseBoolean(System.getProperty(MKL_CNR_PROPERTY, "true"))) {
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
        "-D" + HUGE_PAGES_PROPERTY + "=" + HugePages.isEnabled());
  }
}

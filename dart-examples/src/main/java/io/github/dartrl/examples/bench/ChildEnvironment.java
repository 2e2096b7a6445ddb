package io.github.dartrl.examples.bench;

import io.github.dartrl.core.model.HugePages;
import io.github.dartrl.core.model.MklCnrMode;
import java.util.Map;

/**
 * The native switches a benchmark's child JVM must share with its parent. {@link
 * ProcessBuilder#environment()} copies the environment the JVM started with, not variables set
 * since through the C library ({@link MklCnrMode#enable()}, {@link HugePages#enable()}), so they
 * are copied explicitly: a child measured under other kernels or pages would not be comparable.
 */
final class ChildEnvironment {
  private ChildEnvironment() {}

  static void copyNativeSwitches(Map<String, String> env) {
    String mkl = MklCnrMode.current();
    if (mkl != null) {
      env.put(MklCnrMode.VARIABLE, mkl);
    }
    if (HugePages.isEnabled()) {
      env.put(HugePages.VARIABLE, "1");
    }
  }
}

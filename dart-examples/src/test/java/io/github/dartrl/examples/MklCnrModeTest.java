package io.github.dartrl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.sun.jna.Platform;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MklCnrModeTest {
  /**
   * Child-JVM entry: what a fresh process sees before and after {@code enable()}, then one matrix
   * product (with MKL_VERBOSE=1, MKL prints the CNR mode it runs it with).
   */
  public static void main(String[] args) {
    String before = String.valueOf(MklCnrMode.current());
    boolean enabled = MklCnrMode.enable();
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray a = m.ones(new Shape(64, 64));
      a.matMul(a).close();
    }
    System.out.println(before + " " + enabled + " " + MklCnrMode.current());
  }

  @Test
  void enableTakesEffectBeforeTheFirstMatrixProduct() throws Exception {
    assumeTrue(Platform.isLinux(), "the environment is set through the C library");
    Map<String, String> env = new HashMap<>();
    env.put(MklCnrMode.VARIABLE, null);
    env.put("MKL_VERBOSE", "1");
    String out = ChildJvm.run(MklCnrModeTest.class, env);
    assertThat(ChildJvm.lastLine(out)).isEqualTo("null true AUTO");
    assumeTrue(out.contains("MKL_VERBOSE"), "this libtorch build does not use MKL");
    assertThat(out).contains("SGEMM").contains("CNR:AUTO").doesNotContain("CNR:OFF");
  }

  @Test
  void aValueTheUserSetIsLeftAlone() throws Exception {
    assumeTrue(Platform.isLinux(), "the environment is set through the C library");
    Map<String, String> env = new HashMap<>();
    env.put(MklCnrMode.VARIABLE, "AVX2");
    assertThat(ChildJvm.lastLine(ChildJvm.run(MklCnrModeTest.class, env)))
        .isEqualTo("AVX2 false AVX2");
  }
}

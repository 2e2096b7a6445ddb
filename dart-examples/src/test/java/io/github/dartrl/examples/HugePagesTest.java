package io.github.dartrl.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HugePagesTest {
  /** Child-JVM entry: reports what a fresh process sees before and after {@code enable()}. */
  public static void main(String[] args) {
    boolean before = HugePages.isEnabled();
    boolean enabled = HugePages.enable();
    System.out.println(before + " " + enabled + " " + HugePages.isEnabled());
  }

  @Test
  void enableSetsTheVariableInAFreshProcess() throws Exception {
    assumeTrue(Platform.isLinux(), "THP is a Linux feature");
    assertThat(child(null)).isEqualTo("false true true");
  }

  @Test
  void aValueTheUserSetIsLeftAlone() throws Exception {
    assumeTrue(Platform.isLinux(), "THP is a Linux feature");
    assertThat(child("0")).isEqualTo("false false false");
  }

  @Test
  void enableIsIdempotentHere() {
    assumeTrue(Platform.isLinux(), "THP is a Linux feature");
    assertThat(HugePages.enable()).isTrue(); // sets it, or finds the 1 the environment set
    assertThat(HugePages.enable()).isTrue();
    assertThat(HugePages.isEnabled()).isTrue();
  }

  private static String child(String value) throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>();
    env.put(HugePages.VARIABLE, value);
    return ChildJvm.lastLine(ChildJvm.run(HugePagesTest.class, env));
  }
}

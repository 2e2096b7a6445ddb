package io.github.dartrl.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                HugePagesTest.class.getName()));
    pb.environment().remove(HugePages.VARIABLE);
    if (value != null) {
      pb.environment().put(HugePages.VARIABLE, value);
    }
    Process p = pb.redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.exitValue()).as(out).isZero();
    String[] lines = out.split("\n");
    return lines[lines.length - 1].trim();
  }
}

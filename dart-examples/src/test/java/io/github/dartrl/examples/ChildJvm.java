package io.github.dartrl.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's {@code main} in a fresh JVM on the test classpath, for switches a process
 * reads once (environment variables native libraries read at initialisation).
 */
final class ChildJvm {
  private ChildJvm() {}

  /**
   * Runs {@code main} with the given environment changes (a null value removes the variable) and
   * returns its combined output; fails the test unless it exits with 0 within a minute.
   */
  static String run(Class<?> main, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName()));
    env.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    Process p = pb.redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** The last line of {@code out}. */
  static String lastLine(String out) {
    String[] lines = out.split("\n");
    return lines[lines.length - 1].trim();
  }
}

package io.github.dartrl.examples.packaged;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the shipped command line, {@code scripts/dart4j} (or another script of {@code scripts/}),
 * as a separate process: the packaged {@code dart-examples} jar and {@code
 * dart-examples/target/lib} are its whole classpath, so a dependency that only the test classpath
 * has fails here as it fails for a user. The JVMs are small and single-threaded (the machine may be
 * shared).
 */
final class PackagedCli {
  private PackagedCli() {}

  /** Heap and native-memory caps and one libtorch thread for every started JVM. */
  static final String JAVA_OPTS =
      "-Xmx1g -XX:MaxDirectMemorySize=1g -Dai.djl.pytorch.num_threads=1"
          + " -Dai.djl.pytorch.num_interop_threads=1";

  private static final AtomicInteger RUNS = new AtomicInteger();

  /** The exit code and what the process printed. */
  record Result(List<String> command, int exit, String out, String err) {
    /** Asserts exit code 0, showing the command and its stderr otherwise. */
    Result succeeded() {
      assertThat(exit).as("%s%nstdout:%n%s%nstderr:%n%s", command, out, err).isZero();
      return this;
    }
  }

  /** The checkout: {@code -Ddart4j.root}, set by the failsafe configuration. */
  static Path root() {
    String root = System.getProperty("dart4j.root");
    if (root == null) {
      fail("-Ddart4j.root is not set: run the *IT classes through ./mvnw verify");
    }
    return Path.of(root).toAbsolutePath().normalize();
  }

  /** A new directory for one test class's inputs and outputs, under target/. */
  static Path newWorkDir(String name) throws IOException {
    Path base =
        Path.of(
            System.getProperty(
                "dart4j.it.work",
                root().resolve("dart-examples/target/packaged-cli-it").toString()));
    Files.createDirectories(base);
    return Files.createTempDirectory(base, name + "-");
  }

  /** Runs {@code scripts/dart4j ARGS} in {@code cwd} and waits at most {@code timeout}. */
  static Result dart4j(Path cwd, Duration timeout, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(root().resolve("scripts/dart4j").toString());
    command.addAll(List.of(args));
    return run(cwd, timeout, Map.of(), command);
  }

  /** Runs {@code command} in {@code cwd} with the environment of {@link #builder}. */
  static Result run(Path cwd, Duration timeout, Map<String, String> env, List<String> command)
      throws Exception {
    int n = RUNS.incrementAndGet();
    Path out = cwd.resolve(".run-" + n + ".out");
    Path err = cwd.resolve(".run-" + n + ".err");
    ProcessBuilder b = builder(cwd, command);
    b.environment().putAll(env);
    b.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = b.start();
    if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly().waitFor();
      fail(
          "%s did not end within %s%nstderr:%n%s",
          command, timeout, Files.readString(err, StandardCharsets.UTF_8));
    }
    return new Result(
        command,
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * A process builder for {@code command} in {@code cwd}: the JDK running this test first on the
   * PATH (the scripts start {@code java}), no inherited CLASSPATH, small JVMs, no build.
   */
  static ProcessBuilder builder(Path cwd, List<String> command) {
    ProcessBuilder b = new ProcessBuilder(command).directory(cwd.toFile());
    Map<String, String> env = b.environment();
    env.remove("CLASSPATH");
    env.put(
        "PATH",
        Path.of(System.getProperty("java.home"), "bin") + ":" + env.getOrDefault("PATH", ""));
    env.put("JAVA_OPTS", JAVA_OPTS);
    env.put("OMP_NUM_THREADS", "1");
    // the run scripts build dart4j first; here the build that runs this test has just packaged it
    env.put("DART4J_SKIP_BUILD", "1");
    return b;
  }
}

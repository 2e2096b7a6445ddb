package io.github.dartrl.examples.bench;

import io.github.dartrl.core.io.FileTrees;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.examples.NativeSwitches;
import io.github.dartrl.examples.harness.Machine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Peak memory of real-shaped models (issue 19): generates random checkpoints of Qwen2.5-0.5B's and
 * Qwen2.5-1.5B's shapes (bf16, two shards, a tokenizer; {@link RandomCheckpoint}) into a work
 * directory it owns and runs each selected scenario ({@link MemoryPlan}) in a child JVM of its own
 * ({@link MemoryScenario}: peaks are per process). Each row is saved the moment its child ends
 * ({@link MemoryResults}: JSONL, CSV and the Markdown table), with its peak (VmHWM) as a ratio to
 * the model's fp32 weight bytes, the target and verdict, its time against its reference row
 * (the plain fp32 run of the same scenario) and, for GRPO rows, the log-prob agreement with the
 * shape's first GRPO row. A rerun with the same directories skips the stored rows.
 */
public final class MemoryBench {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryBench.class);
  private static final double GB = 1e9;

  /**
   * What to run.
   *
   * @param quick a small shape instead of the real ones (checks the section runs; figures moot)
   * @param large also the Qwen2.5-1.5B-shaped GRPO step (needs the machine alone, ~24 GB)
   * @param work the work directory (created and owned; null: a temporary one, deleted after)
   * @param out the directory of the rows and the table (created and owned; null: {@code work}, or
   *     nothing is kept when that is temporary)
   * @param scenarios ids of the scenarios to run, {@code *} as a wildcard ({@link MemoryPlan});
   *     empty: all of the 0.5B shape (and the 1.5B shape's with {@code large})
   * @param microBatch GRPO micro-batch rows
   * @param childJvm flags of the child JVMs
   * @param childEnv environment variables added for the child JVMs (e.g. {@code
   *     MALLOC_ARENA_MAX=2})
   */
  public record Settings(
      boolean quick,
      boolean large,
      Path work,
      Path out,
      List<String> scenarios,
      int microBatch,
      List<String> childJvm,
      Map<String, String> childEnv) {

    public Settings {
      scenarios = scenarios == null ? List.of() : List.copyOf(scenarios);
      childJvm = List.copyOf(childJvm);
      childEnv = childEnv == null ? Map.of() : new java.util.TreeMap<>(childEnv);
    }

    /**
     * What a stored row must share with this run to be reused (measured the same way): the
     * micro-batch, the child JVM flags and the allocator settings the children get ({@code
     * MALLOC_*} variables, inherited from this process, e.g. from scripts/dart4j, or given).
     */
    String describe() {
      Map<String, String> env = new java.util.TreeMap<>();
      System.getenv()
          .forEach(
              (k, v) -> {
                if (k.startsWith("MALLOC_")) {
                  env.put(k, v);
                }
              });
      env.putAll(childEnv);
      return "micro-batch "
          + microBatch
          + " · child JVM "
          + String.join(" ", childJvm)
          + (env.isEmpty() ? "" : " · env " + env);
    }
  }

  private MemoryBench() {}

  /**
   * Runs the selected scenarios not already stored in the output directory, saving each row as its
   * child JVM ends, and returns the Markdown of every stored row.
   */
  public static String run(Settings s) throws Exception {
    List<MemoryPlan.Spec> plan = MemoryPlan.select(s.quick(), s.large(), s.scenarios());
    boolean temporary = s.work() == null;
    Path work = temporary ? Files.createTempDirectory("dart4j-memory-bench") : s.work();
    MemoryResults.claim(work, "--work");
    long t0 = System.nanoTime();
    try {
      Path outDir = s.out() != null ? s.out() : work;
      MemoryResults results = MemoryResults.open(outDir, s.out() != null ? "--out" : "--work");
      String settings = s.describe();
      for (MemoryPlan.Spec spec : plan) {
        if (results.finished(spec.id(), settings).isPresent()) {
          LOG.info("memory scenario {}: already in {}, skipped", spec.id(), outDir);
          continue;
        }
        Path dir = checkpoint(work, spec.shape(), spec.config());
        MemoryRow row = measure(s, spec, dir, work, settings);
        results.add(row, header(s, (System.nanoTime() - t0) / 60e9));
        MemoryRow ref = results.get(spec.reference());
        LOG.info(
            "memory scenario {}: peak {} GB ({}× fp32 weights{}), {} s{}{}; sampled RSS per"
                + " phase: {}",
            spec.id(),
            String.format(Locale.ROOT, "%.2f", row.peakBytes() / GB),
            String.format(Locale.ROOT, "%.2f", row.ratio()),
            row.verdict().isEmpty() ? "" : ", " + row.verdict() + " " + row.target(),
            String.format(Locale.ROOT, "%.1f", row.seconds()),
            Double.isNaN(row.timeRatio(ref))
                ? ""
                : String.format(Locale.ROOT, ", time × reference %.2f", row.timeRatio(ref)),
            Double.isNaN(row.lpDiff(ref))
                ? ""
                : String.format(Locale.ROOT, ", max |Δ log-prob| %.2e", row.lpDiff(ref)),
            row.phaseSummary());
      }
      String md = header(s, (System.nanoTime() - t0) / 60e9) + results.table();
      if (!temporary || s.out() != null) {
        LOG.info("rows in {}", outDir);
      }
      return md;
    } finally {
      if (temporary) {
        FileTrees.deleteTree(work);
      }
    }
  }

  /**
   * Generates a checkpoint once; a complete one from an earlier run in the same work dir is reused.
   */
  private static Path checkpoint(Path work, String name, ModelConfig shape) throws IOException {
    Path dir = work.resolve(name);
    Path done = work.resolve(name + ".complete");
    if (Files.exists(done)) {
      return dir;
    }
    if (Files.exists(dir)) {
      FileTrees.deleteTree(dir); // an interrupted generation
    }
    LOG.info("generating a random {} checkpoint in {}", name, dir);
    RandomCheckpoint.write(dir, shape, 1);
    Files.writeString(done, "");
    return dir;
  }

  /** Runs one scenario in its child JVM and returns its row. */
  private static MemoryRow measure(
      Settings s, MemoryPlan.Spec spec, Path dir, Path work, String settings) throws Exception {
    boolean grpo = spec.kind() == MemoryScenario.Kind.GRPO;
    Path lpFile = grpo ? work.resolve(spec.id() + "-logprobs.txt") : null;
    Path runDir = grpo ? work.resolve(spec.id() + "-run") : null;
    if (runDir != null && Files.exists(runDir)) {
      FileTrees.deleteTree(runDir); // the trainer's own output of an interrupted row
    }
    int turn = s.quick() ? 8 : 400;
    Map<String, Double> phases = new LinkedHashMap<>();
    double[] r =
        spawn(
            phases,
            s,
            spec.kind(),
            dir,
            spec.checkpointing(),
            spec.storage(),
            s.microBatch(),
            grpo ? turn : 0,
            lpFile,
            runDir);
    return new MemoryRow(
        spec.id(),
        spec.shape(),
        spec.kind(),
        spec.checkpointing(),
        spec.storage(),
        RandomCheckpoint.fp32Bytes(spec.config()),
        r[0] * 1024,
        r[1],
        r[2],
        spec.limitRatio(),
        spec.limitExtraBytes(),
        spec.reference(),
        grpo ? readFloats(lpFile) : new float[0],
        phases,
        settings,
        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
  }

  private static float[] readFloats(Path f) throws IOException {
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    float[] out = new float[lines.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.parseFloat(lines.get(i));
    }
    return out;
  }

  /** Runs one scenario in a child JVM; returns peak kB, seconds and tokens. */
  private static double[] spawn(
      Map<String, Double> phases,
      Settings s,
      MemoryScenario.Kind kind,
      Path dir,
      boolean ckpt,
      String storage,
      int microBatch,
      int turn,
      Path lpFile,
      Path runDir)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(s.childJvm());
    cmd.add("-Doffline=true");
    cmd.add("-Dai.djl.offline=true");
    cmd.addAll(NativeSwitches.childFlags());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(MemoryScenario.class.getName());
    cmd.addAll(
        List.of(
            kind.name(),
            dir.toString(),
            Boolean.toString(ckpt),
            storage,
            Integer.toString(microBatch),
            Integer.toString(turn),
            lpFile == null ? "-" : lpFile.toString(),
            runDir == null ? "-" : runDir.toString()));
    LOG.info("memory scenario {} {} (child JVM)", kind, storage + (ckpt ? " + checkpointing" : ""));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putAll(s.childEnv());
    Process p = pb.start();
    Map<String, Double> r = new LinkedHashMap<>();
    phases.clear();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("PHASE ")) {
          int eq = line.lastIndexOf('=');
          phases.put(line.substring(6, eq), Double.parseDouble(line.substring(eq + 1)) * 1024);
        } else if (line.startsWith("RESULT ")) {
          for (String kv : line.substring(7).split(" ")) {
            String[] x = kv.split("=");
            r.put(x[0], Double.parseDouble(x[1]));
          }
        }
      }
    }
    int code = p.waitFor();
    if (code != 0 || r.size() != 3) {
      throw new IllegalStateException(
          "memory scenario " + kind + " " + storage + " failed with exit code " + code);
    }
    return new double[] {r.get("peak_kb"), r.get("seconds"), r.get("tokens")};
  }

  private static String header(Settings s, double minutes) {
    Machine m = Machine.current();
    return String.format(
        Locale.ROOT,
        "**%s** · %s · %d cores · Java %s · libtorch %s · %s · %.1f minutes in this run%n%n",
        m.date(),
        m.cpu(),
        m.cores(),
        m.jvm(),
        m.libtorch(),
        s.describe(),
        minutes);
  }

  /** The child JVM flags used unless others are given. */
  public static List<String> defaultChildJvm() {
    return Arrays.asList("-Xmx2g", "-XX:MaxDirectMemorySize=2g");
  }
}

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
 * directory it owns, runs every scenario in a child JVM of its own ({@link MemoryScenario}: peaks
 * are per process) and renders one Markdown table: each peak (VmHWM) as a ratio to the model's fp32
 * weight bytes, with the targets, each option's time against the plain fp32 run of the same
 * scenario, and the log-prob agreement of each GRPO option with the shape's first (fp32) GRPO row.
 */
public final class MemoryBench {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryBench.class);
  private static final String MARKER = ".dart4j-memory-bench";
  private static final double GB = 1e9;

  /**
   * What to run.
   *
   * @param quick a small shape instead of the real ones (checks the section runs; figures moot)
   * @param large also the Qwen2.5-1.5B-shaped GRPO step (needs the machine alone, ~24 GB)
   * @param work the work directory (created and owned; null: a temporary one, deleted after)
   * @param microBatch GRPO micro-batch rows
   * @param childJvm flags of the child JVMs
   */
  public record Settings(
      boolean quick, boolean large, Path work, int microBatch, List<String> childJvm) {}

  /** One measured row. */
  record Row(
      String shape,
      MemoryScenario.Kind kind,
      boolean checkpointing,
      String storage,
      long weightBytes,
      double peakBytes,
      double seconds,
      double tokens,
      double lpDiff,
      double timeRatio,
      Double limitRatio,
      double limitExtraBytes) {

    String options() {
      return storage + (checkpointing ? " + checkpointing" : "");
    }

    double ratio() {
      return peakBytes / weightBytes;
    }

    boolean met() {
      return limitRatio == null || peakBytes <= limitRatio * weightBytes + limitExtraBytes;
    }
  }

  private MemoryBench() {}

  /** Runs the section and returns its Markdown. */
  public static String run(Settings s) throws Exception {
    boolean temporary = s.work() == null;
    Path work = temporary ? Files.createTempDirectory("dart4j-memory-bench") : s.work();
    prepare(work, temporary);
    long t0 = System.nanoTime();
    try {
      List<Row> rows = new ArrayList<>();
      ModelConfig small = s.quick() ? RandomCheckpoint.quick() : RandomCheckpoint.qwen25_05b();
      String smallName = s.quick() ? "quick" : "Qwen2.5-0.5B";
      Path smallDir = checkpoint(work, smallName, small);
      int turn = s.quick() ? 8 : 400;
      decodeRows(rows, s, smallName, smallDir, small);
      grpoRows(rows, s, smallName, smallDir, small, turn, true);
      if (s.large() && !s.quick()) {
        ModelConfig big = RandomCheckpoint.qwen25_15b();
        Path bigDir = checkpoint(work, "Qwen2.5-1.5B", big);
        grpoRows(rows, s, "Qwen2.5-1.5B", bigDir, big, turn, false);
      }
      return markdown(s, rows, (System.nanoTime() - t0) / 60e9);
    } finally {
      if (temporary) {
        FileTrees.deleteTree(work);
      }
    }
  }

  /**
   * A work directory is ours if we create it or it carries our marker; anything else is refused.
   */
  private static void prepare(Path work, boolean fresh) throws IOException {
    if (!fresh && Files.isDirectory(work)) {
      try (var entries = Files.list(work)) {
        if (entries.findAny().isPresent() && !Files.exists(work.resolve(MARKER))) {
          throw new IllegalArgumentException(
              "--work " + work + " is not empty and was not made by the memory bench: refused");
        }
      }
    }
    Files.createDirectories(work);
    Files.writeString(work.resolve(MARKER), "random checkpoints of the memory bench\n");
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

  private static void decodeRows(List<Row> rows, Settings s, String name, Path dir, ModelConfig c)
      throws Exception {
    long w = RandomCheckpoint.fp32Bytes(c);
    // the smoke run keeps one child per code path: it must fit a packaged-CLI test
    List<MemoryScenario.Kind> kinds =
        s.quick()
            ? List.of(MemoryScenario.Kind.DECODE_8)
            : List.of(MemoryScenario.Kind.DECODE_8, MemoryScenario.Kind.PROMPT_512);
    for (MemoryScenario.Kind kind : kinds) {
      double plainSeconds = Double.NaN;
      for (String storage : s.quick() ? List.of("fp32") : List.of("fp32", "fp16")) {
        double[] r = spawn(s, kind, dir, false, storage, 1, 0, null, null);
        if (storage.equals("fp32")) {
          plainSeconds = r[1];
        }
        boolean decode8 = kind == MemoryScenario.Kind.DECODE_8;
        rows.add(
            new Row(
                name,
                kind,
                false,
                storage,
                w,
                r[0] * 1024,
                r[1],
                r[2],
                Double.NaN,
                r[1] / plainSeconds,
                decode8 ? 1.25 : null,
                decode8 ? 0.3 * GB : 0));
      }
    }
  }

  private static void grpoRows(
      List<Row> rows, Settings s, String name, Path dir, ModelConfig c, int turn, boolean withPlain)
      throws Exception {
    long w = RandomCheckpoint.fp32Bytes(c);
    List<Object[]> variants = new ArrayList<>();
    if (withPlain) {
      variants.add(new Object[] {false, "fp32"});
    }
    if (!s.quick()) {
      variants.add(new Object[] {true, "fp32"});
    }
    variants.add(new Object[] {true, "fp16"});
    float[] reference = null;
    double referenceSeconds = Double.NaN;
    for (Object[] v : variants) {
      boolean ckpt = (Boolean) v[0];
      String storage = (String) v[1];
      Path lpFile = dir.resolveSibling(name + "-lp-" + storage + "-" + ckpt + ".txt");
      Path runDir = dir.resolveSibling(name + "-run-" + storage + "-" + ckpt);
      if (Files.exists(runDir)) {
        FileTrees.deleteTree(runDir);
      }
      double[] r =
          spawn(
              s,
              MemoryScenario.Kind.GRPO,
              dir,
              ckpt,
              storage,
              s.microBatch(),
              turn,
              lpFile,
              runDir);
      float[] lp = readFloats(lpFile);
      if (reference == null) {
        reference = lp;
        referenceSeconds = r[1];
      }
      rows.add(
          new Row(
              name,
              MemoryScenario.Kind.GRPO,
              ckpt,
              storage,
              w,
              r[0] * 1024,
              r[1],
              r[2],
              maxDiff(lp, reference),
              r[1] / referenceSeconds,
              storage.equals("fp16") ? 1.2 : 2.0,
              0));
    }
  }

  private static float[] readFloats(Path f) throws IOException {
    List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
    float[] out = new float[lines.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Float.parseFloat(lines.get(i));
    }
    return out;
  }

  private static double maxDiff(float[] a, float[] b) {
    double worst = 0;
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    return a.length == b.length ? worst : Double.NaN;
  }

  /** Runs one scenario in a child JVM; returns peak kB, seconds and tokens. */
  private static double[] spawn(
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
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    Map<String, Double> r = new LinkedHashMap<>();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
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
    // each row as it comes: a later scenario that fails does not lose the earlier ones
    LOG.info(
        "memory scenario {} {}: peak {} GB, {} s",
        kind,
        storage + (ckpt ? " + checkpointing" : ""),
        String.format(Locale.ROOT, "%.2f", r.get("peak_kb") * 1024 / GB),
        String.format(Locale.ROOT, "%.1f", r.get("seconds")));
    return new double[] {r.get("peak_kb"), r.get("seconds"), r.get("tokens")};
  }

  private static String markdown(Settings s, List<Row> rows, double minutes) {
    Machine m = Machine.current();
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "**%s** · %s · %d cores · Java %s · libtorch %s · child JVMs `%s` · GRPO micro-batch"
                + " %d · %.1f minutes%n%n",
            m.date(),
            m.cpu(),
            m.cores(),
            m.jvm(),
            m.libtorch(),
            String.join(" ", s.childJvm()),
            s.microBatch(),
            minutes));
    Map<String, Long> shapes = new LinkedHashMap<>();
    rows.forEach(r -> shapes.putIfAbsent(r.shape(), r.weightBytes()));
    shapes.forEach(
        (name, bytes) ->
            sb.append(
                String.format(Locale.ROOT, "- %s: fp32 weight bytes %.2f GB%n", name, bytes / GB)));
    sb.append(
        "\n| shape | scenario | options | peak RSS GB | × fp32 weights | target | verdict |"
            + " seconds | time × plain fp32 | max abs Δ log-prob vs fp32 |\n");
    sb.append("|---|---|---|---:|---:|---|---|---:|---:|---:|\n");
    for (Row r : rows) {
      String target =
          r.limitRatio() == null
              ? ""
              : String.format(
                  Locale.ROOT,
                  "≤ %.2f×%s",
                  r.limitRatio(),
                  r.limitExtraBytes() > 0
                      ? String.format(Locale.ROOT, " + %.1f GB", r.limitExtraBytes() / GB)
                      : "");
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %.2f | %.2f | %s | %s | %.1f | %.2f | %s |%n",
              r.shape(),
              describe(r),
              r.options(),
              r.peakBytes() / GB,
              r.ratio(),
              target,
              r.limitRatio() == null ? "" : r.met() ? "PASS" : "MISS",
              r.seconds(),
              r.timeRatio(),
              Double.isNaN(r.lpDiff()) ? "" : String.format(Locale.ROOT, "%.2e", r.lpDiff())));
    }
    sb.append('\n');
    return sb.toString();
  }

  private static String describe(Row r) {
    return switch (r.kind()) {
      case DECODE_8 -> "load + greedy decode, 8-token prompt, 32 tokens";
      case PROMPT_512 -> "load + 512-token prompt + 32 tokens";
      case GRPO ->
          String.format(Locale.ROOT, "GRPO step, 1 prompt × G = 5, %.0f tokens each", r.tokens());
    };
  }

  /** The child JVM flags used unless others are given. */
  public static List<String> defaultChildJvm() {
    return Arrays.asList("-Xmx2g", "-XX:MaxDirectMemorySize=2g");
  }
}

package io.github.dartrl.examples.bench;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.examples.HugePages;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.MklCnrMode;
import io.github.dartrl.examples.harness.Machine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The performance suite of issue 8, in one run on the current machine: ceilings (GEMM, GEMV),
 * training steps per method, decoding against the weight-streaming floor, rollout throughput per
 * batch size, multi-turn appends, peak memory per method and the share of a decode step outside
 * libtorch's kernels. Renders Markdown with the machine, the load average at start and end, every
 * table, and each target's ratio with PASS/MISS.
 */
public final class PerfSuite {
  private static final Logger LOG = LoggerFactory.getLogger(PerfSuite.class);

  /** The rendered report and the targets it checked. */
  public record Result(String markdown, List<Target> targets) {}

  private PerfSuite() {}

  /** The parts of the suite, in run order. */
  public enum Section {
    CEILINGS,
    TRAINING,
    DECODE,
    MEMORY
  }

  /** Runs every measurement of {@code config}. */
  public static Result run(PerfConfig config) throws Exception {
    return run(config, java.util.EnumSet.allOf(Section.class));
  }

  /**
   * Runs the given sections of the suite (the ceilings always run: every ratio needs them); the
   * targets of sections not run are left out.
   */
  public static Result run(PerfConfig config, java.util.Set<Section> sections) throws Exception {
    double loadStart = Machine.loadAverageOneMinute();
    long t0 = System.nanoTime();
    Machine machine = Machine.current();
    LOG.info("bench: {} cores, load {}, {}", machine.cores(), loadStart, machine.cpu());
    // Only the in-process sections are timed; the memory probes' child JVMs would count as others.
    CpuContention contention = CpuContention.start();
    Ceilings ceilings;
    TrainingBench training = null;
    DecodeBench decode = null;
    try (NDManager root = JobDevice.newRoot()) {
      ceilings = Ceilings.measure(root, config.gemmSizes(), config.reps());
      LOG.info(
          "ceilings: GEMM {} GFLOP/s, GEMV {} GB/s",
          fmt(ceilings.gemmGflops()),
          fmt(ceilings.gemvGbs()));
      if (sections.contains(Section.TRAINING)) {
        training = new TrainingBench().run(root, config);
      }
      if (sections.contains(Section.DECODE)) {
        decode = new DecodeBench().run(root, config, ceilings.gemvGbs());
      }
    }
    double otherCores = contention.otherCores();
    Map<String, double[]> memory = new LinkedHashMap<>();
    if (config.memory() && sections.contains(Section.MEMORY)) {
      for (String m : MemoryProbe.METHODS) {
        LOG.info("memory probe {} (child JVM)", m);
        memory.put(
            m, MemoryProbe.spawn(m, config.trainModel(), config.memoryRows(), config.trainSeq()));
      }
    }
    double loadEnd = Machine.loadAverageOneMinute();
    double minutes = (System.nanoTime() - t0) / 60e9;
    List<Target> targets = targets(config, ceilings, training, decode, memory);
    StringBuilder sb = new StringBuilder();
    sb.append(header(machine, loadStart, loadEnd, otherCores, minutes));
    sb.append("### Targets\n\n| target | measured | target | verdict | note |\n");
    sb.append("|---|---:|---:|---|---|\n");
    for (Target t : targets) {
      sb.append(t.row()).append('\n');
    }
    sb.append('\n');
    sb.append(ceilings.markdown());
    if (training != null) {
      sb.append(training.markdown(ceilings.gemmGflops()));
    }
    if (decode != null) {
      sb.append(decode.markdown());
    }
    if (!memory.isEmpty()) {
      sb.append(memoryTable(config, memory));
    }
    return new Result(sb.toString(), targets);
  }

  private static String header(
      Machine m, double loadStart, double loadEnd, double otherCores, double minutes) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "**%s** · %s · %d cores · Java %s · DJL %s · libtorch %s (%d intra-op threads) · fp32"
                + " · 1-minute load average %.2f at the start, %.2f at the end · other processes"
                + " used %.2f cores while timings ran · libtorch huge pages (%s) %s · MKL CNR mode"
                + " (%s) %s · %.1f minutes%n%n",
            m.date(),
            m.cpu(),
            m.cores(),
            m.jvm(),
            m.djl(),
            m.libtorch(),
            m.threads(),
            loadStart,
            loadEnd,
            otherCores,
            HugePages.VARIABLE,
            HugePages.isEnabled() ? "on" : "off",
            MklCnrMode.VARIABLE,
            MklCnrMode.current() == null ? "off" : MklCnrMode.current(),
            minutes));
    // A tenth of a core is what an idle desktop's background work costs; more skews the timings.
    if (!(otherCores <= 0.1 * m.cores())) {
      sb.append(
          "**Measured under load**: other processes were computing during this run, so absolute"
              + " figures are lower bounds; ratios compare configurations timed in alternating"
              + " rounds and are the more reliable numbers.\n\n");
    }
    return sb.toString();
  }

  static List<Target> targets(
      PerfConfig config,
      Ceilings ceilings,
      TrainingBench training,
      DecodeBench decode,
      Map<String, double[]> memory) {
    List<Target> t = new ArrayList<>();
    if (training != null) {
      trainingTargets(t, ceilings, training);
    }
    if (decode != null) {
      decodeTargets(t, config, decode);
    }
    if (!memory.isEmpty()) {
      memoryTargets(t, memory);
    }
    return t;
  }

  private static void trainingTargets(List<Target> t, Ceilings ceilings, TrainingBench training) {
    t.add(
        new Target(
            "DART training step GFLOP/s / GEMM ceiling",
            training.gflops(Method.DART) / ceilings.gemmGflops(),
            0.6,
            false,
            String.format(
                Locale.ROOT,
                "FULL reaches %.2f",
                training.gflops(Method.FULL) / ceilings.gemmGflops())));
    t.add(new Target("DART step / single-LoRA step", training.dartOverLora, 1.1, true, ""));
  }

  private static void decodeTargets(List<Target> t, PerfConfig config, DecodeBench decode) {
    int c0 = config.contexts().get(0);
    int cLast = config.contexts().get(config.contexts().size() - 1);
    t.add(
        new Target(
            "DART decode / single-LoRA decode (batch 1, context " + c0 + ")",
            decode.ms(Method.DART, c0) / decode.ms(Method.LORA, c0),
            1.1,
            true,
            String.format(
                Locale.ROOT,
                "context %d: %.2f",
                cLast,
                decode.ms(Method.DART, cLast) / decode.ms(Method.LORA, cLast))));
    t.add(
        new Target(
            "DART decode / weight-streaming floor (batch 1, context " + c0 + ")",
            decode.ms(Method.DART, c0) / decode.floorMs,
            1.5,
            true,
            String.format(
                Locale.ROOT,
                "bare backbone: %.2f; %.0f %% of a step is outside kernels",
                decode.ms(Method.NONE, c0) / decode.floorMs,
                100 * decode.outsideKernels())));
    t.add(
        new Target(
            "DART decode context " + cLast + " / context " + c0,
            decode.ms(Method.DART, cLast) / decode.ms(Method.DART, c0),
            1.3,
            true,
            ""));
    List<Integer> batches = new ArrayList<>(decode.rolloutTps.keySet());
    int bLast = batches.get(batches.size() - 1);
    t.add(
        new Target(
            "rollout tokens/s batch " + bLast + " / batch " + batches.get(0),
            decode.rolloutTps.get(bLast) / decode.rolloutTps.get(batches.get(0)),
            6,
            false,
            ""));
    t.add(
        new Target(
            "observation append " + decode.appends.size() + " / append 1 (check: no re-encoding)",
            decode.appendRatio(),
            2,
            true,
            "re-encoding the prefix would grow it with the context"));
  }

  private static void memoryTargets(List<Target> t, Map<String, double[]> memory) {
    double lora = memory.get("LORA")[0];
    double dart = memory.get("DART")[0];
    double two = memory.get("TWO_AGENT")[0];
    t.add(new Target("peak RSS DART / single LoRA", dart / lora, 1.05, true, ""));
    t.add(
        new Target(
            "peak RSS DART / TWO_AGENT (two full models)",
            dart / two,
            0.55,
            true,
            String.format(
                Locale.ROOT, "native: %.2f", memory.get("DART")[1] / memory.get("TWO_AGENT")[1])));
  }

  private static String memoryTable(PerfConfig c, Map<String, double[]> memory) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "### Memory (training model, %d × %d tokens, two AdamW steps and a 4-row rollout, one"
                + " JVM per method)%n%n| method | trainable params | peak RSS MB | native MB |"
                + " RSS vs LORA | native vs LORA |%n|---|---:|---:|---:|---:|---:|%n",
            c.memoryRows(),
            c.trainSeq()));
    double[] lora = memory.get("LORA");
    for (Map.Entry<String, double[]> e : memory.entrySet()) {
      double[] r = e.getValue();
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %.0f | %.0f | %.2f | %.2f |%n",
              e.getKey(),
              (long) r[2],
              r[0],
              r[1],
              r[0] / lora[0],
              r[1] / lora[1]));
    }
    sb.append('\n');
    return sb.toString();
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}

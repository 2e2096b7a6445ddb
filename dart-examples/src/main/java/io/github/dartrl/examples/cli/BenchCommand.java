package io.github.dartrl.examples.cli;

import io.github.dartrl.examples.bench.GeneratedSection;
import io.github.dartrl.examples.bench.MemoryBench;
import io.github.dartrl.examples.bench.PerfConfig;
import io.github.dartrl.examples.bench.PerfSuite;
import io.github.dartrl.examples.bench.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dart4j bench}: the performance suite (ceilings, training, decoding, rollouts, multi-turn,
 * memory, JNI share) with PASS/MISS per target; optionally rewrites the generated tables of
 * docs/benchmarks.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Measure the machine's ceilings and the library against them; print ratios with PASS/MISS"
            + " per target.")
public final class BenchCommand implements Callable<Integer> {
  @Mixin DeviceOption deviceOption;

  @Option(names = "--reps", defaultValue = "3", description = "timed rounds per measurement")
  int reps;

  @Option(
      names = "--doc",
      description = "Markdown file whose generated section (between marker lines) is rewritten")
  Path doc;

  @Option(names = "--quick", description = "tiny models: checks the suite runs, figures are moot")
  boolean quick;

  @Option(
      names = "--threads",
      defaultValue = "0",
      description = "libtorch intra-op threads (0 = libtorch's default, all cores)")
  int threads;

  @Option(names = "--no-memory", description = "skip the memory probes (child JVMs)")
  boolean noMemory;

  @Option(
      names = "--memory",
      description =
          "run the real-shape memory section instead of the suite: random Qwen2.5-0.5B-shaped"
              + " (and with --large 1.5B-shaped) checkpoints, each scenario in a child JVM, peaks"
              + " as ratios to the fp32 weight bytes (--quick: a small shape)")
  boolean memory;

  @Option(
      names = "--large",
      description = "with --memory: also the Qwen2.5-1.5B-shaped GRPO step (~24 GB machine alone)")
  boolean large;

  @Option(
      names = "--work",
      description =
          "with --memory: directory for the generated checkpoints, kept and reused by later runs"
              + " (default: a temporary directory, deleted after)")
  Path work;

  @Option(
      names = "--out",
      description =
          "with --memory: directory of the rows (memory-rows.jsonl, memory-rows.csv) and the table"
              + " (memory-table.md), each saved as its scenario ends; a rerun with the same"
              + " directory skips the rows it holds (default: the --work directory)")
  Path out;

  @Option(
      names = "--scenarios",
      split = ",",
      description =
          "with --memory: only these scenario ids, * as a wildcard, e.g. '0.5b-grpo-*' (ids:"
              + " 0.5b-decode8-fp32|fp16, 0.5b-prompt512-fp32|fp16, 0.5b-grpo-fp32,"
              + " 0.5b-grpo-fp32-ckpt, 0.5b-grpo-fp16-ckpt, 1.5b-grpo-fp32-ckpt,"
              + " 1.5b-grpo-fp16-ckpt; with --quick: quick-decode8-fp32, quick-grpo-fp32,"
              + " quick-grpo-fp16-ckpt)")
  java.util.List<String> scenarios;

  @Option(
      names = "--child-env",
      description =
          "with --memory: an environment variable for the child JVMs, e.g."
              + " --child-env MALLOC_ARENA_MAX=2 (repeatable; recorded with each row)")
  java.util.Map<String, String> childEnv;

  @Option(
      names = "--micro-batch",
      defaultValue = "1",
      description = "with --memory: GRPO micro-batch rows")
  int microBatch;

  @Option(
      names = "--child-jvm",
      split = " ",
      description =
          "with --memory: flags of the child JVMs (default: -Xmx2g -XX:MaxDirectMemorySize=2g)")
  java.util.List<String> childJvm;

  @Option(
      names = "--only",
      split = ",",
      description =
          "run only these sections (${COMPLETION-CANDIDATES}); the ceilings always run."
              + " Default: all")
  java.util.Set<PerfSuite.Section> only;

  @Override
  public Integer call() throws Exception {
    deviceOption.select(); // before any tensor: the job's models go there
    if (doc != null && !Files.isRegularFile(doc)) {
      throw new IllegalArgumentException("--doc " + doc + ": no such file");
    }
    if (threads < 0) {
      throw new IllegalArgumentException("--threads must be >= 0, got " + threads);
    }
    if (threads > 0) {
      ai.djl.engine.Engine.getEngine("PyTorch");
      ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
    }
    if (memory) {
      if (doc != null) {
        throw new IllegalArgumentException(
            "--doc rewrites the suite's generated section; the --memory section is printed only");
      }
      if (microBatch < 1) {
        throw new IllegalArgumentException("--micro-batch must be >= 1, got " + microBatch);
      }
      System.out.print(
          MemoryBench.run(
              new MemoryBench.Settings(
                  quick,
                  large,
                  work,
                  out,
                  scenarios,
                  microBatch,
                  childJvm == null || childJvm.isEmpty() ? MemoryBench.defaultChildJvm() : childJvm,
                  childEnv)));
      return 0;
    }
    PerfConfig c = quick ? PerfConfig.quick() : PerfConfig.standard(reps);
    if (noMemory && c.memory()) {
      c =
          new PerfConfig(
              c.trainModel(),
              c.trainRows(),
              c.trainSeq(),
              c.decodeModel(),
              c.decodeTokens(),
              c.contexts(),
              c.rolloutBatches(),
              c.rolloutTokens(),
              c.turns(),
              c.reps(),
              c.gemmSizes(),
              false,
              c.memoryRows());
    }
    PerfSuite.Result r =
        PerfSuite.run(
            c,
            only == null || only.isEmpty()
                ? java.util.EnumSet.allOf(PerfSuite.Section.class)
                : java.util.EnumSet.copyOf(only));
    System.out.print(r.markdown());
    if (doc != null) {
      GeneratedSection.write(doc, r.markdown());
      System.out.println("wrote the generated section of " + doc);
    }
    long missed = r.targets().stream().filter(t -> !t.met()).count();
    System.out.printf("%d of %d targets met%n", r.targets().size() - missed, r.targets().size());
    for (Target t : r.targets()) {
      System.out.println(t.verdict() + "  " + t.name() + String.format(" = %.2f", t.value()));
    }
    return 0;
  }
}

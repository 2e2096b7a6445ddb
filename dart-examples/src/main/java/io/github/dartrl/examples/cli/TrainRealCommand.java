package io.github.dartrl.examples.cli;

import io.github.dartrl.core.model.MemoryOptions;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.examples.compare.CompareMethod;
import io.github.dartrl.examples.harness.OutputDir;
import io.github.dartrl.examples.real.RetrieverSource;
import io.github.dartrl.examples.real.TrainReal;
import io.github.dartrl.examples.real.TrainRealConfig;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.train.GrpoConfig;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dart4j train-real}: GRPO on a real HF model with a real corpus (or index, or Search-R1
 * retrieval server) and the Search-R1 datasets, with the paper's defaults; see docs/train-real.md.
 */
@Command(
    name = "train-real",
    mixinStandardHelpOptions = true,
    description =
        "Train an HF model (e.g. Qwen2.5-3B) with GRPO on Search-R1 data: DART, LORA, FULL or"
            + " TWO_AGENT; paper defaults; saves PEFT adapters (or HF models), metrics and"
            + " checkpoints; --resume continues.")
public final class TrainRealCommand implements Callable<Integer> {
  @Mixin DeviceOption deviceOption;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--model", required = true, description = "HF model directory")
  Path model;

  @Option(
      names = "--train",
      required = true,
      description =
          "training set: FlashRAG JSONL, or Search-R1 Parquet (.parquet, read through Spark: needs SPARK_HOME)")
  Path train;

  @Option(
      names = "--test",
      description = "test set (JSONL or .parquet, as --train); evaluated after training")
  Path test;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  /** Exactly one of the three retriever sources. */
  static final class Source {
    @Option(
        names = "--corpus",
        description = "Search-R1 corpus JSONL (BM25-indexed into OUT/index)")
    Path corpus;

    @Option(names = "--index", description = "existing BM25 index (dart4j or Pyserini)")
    Path index;

    @Option(
        names = "--retriever-url",
        description = "Search-R1 retrieval server, e.g. http://127.0.0.1:8000/retrieve")
    String url;

    RetrieverSource toSource() {
      if (corpus != null) {
        return new RetrieverSource(RetrieverSource.Kind.CORPUS, corpus.toString());
      }
      if (index != null) {
        return new RetrieverSource(RetrieverSource.Kind.INDEX, index.toString());
      }
      return new RetrieverSource(RetrieverSource.Kind.URL, url);
    }
  }

  @Option(
      names = "--method",
      defaultValue = "DART",
      description = "${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})")
  CompareMethod method;

  @Option(
      names = "--steps",
      defaultValue = "100",
      description = "GRPO steps (default ${DEFAULT-VALUE})")
  int steps;

  @Option(
      names = "--prompts-per-step",
      defaultValue = "16",
      description = "prompts per step (default ${DEFAULT-VALUE})")
  int promptsPerStep;

  @Option(
      names = "--group-size",
      defaultValue = "5",
      description = "completions per prompt, G (default ${DEFAULT-VALUE})")
  int groupSize;

  @Option(
      names = "--lr",
      defaultValue = "1e-5",
      description =
          "peak learning rate of the adapters (default ${DEFAULT-VALUE}); FULL and TWO_AGENT use"
              + " lr x --full-lr-ratio")
  double lr;

  @Option(
      names = "--full-lr-ratio",
      defaultValue = "0.1",
      description =
          "FULL / TWO_AGENT learning rate relative to --lr (default ${DEFAULT-VALUE}: 1e-6)")
  double fullLrRatio;

  @Option(
      names = "--micro-batch",
      defaultValue = "8",
      description = "trajectories per forward/backward (default ${DEFAULT-VALUE})")
  int microBatch;

  @Mixin RolloutOptions rolloutOptions;

  @Option(
      names = "--init-adapters",
      description =
          "a plain PEFT LoRA directory (adapter_config.json + adapter_model.safetensors) that every"
              + " adapter starts from (DART: both), instead of fresh ones; its rank and alpha"
              + " replace the defaults (DART or LORA only)")
  Path initAdapters;

  @Mixin RewardOption rewardOption;

  @Option(
      names = "--checkpoint-every",
      defaultValue = "50",
      description = "steps between checkpoints")
  int checkpointEvery;

  @Option(
      names = "--eval-limit",
      defaultValue = "0",
      description = "first N test questions (0 = all)")
  int evalLimit;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "data order, sampling and adapter init")
  long seed;

  @Option(names = "--out", required = true, description = "output directory")
  Path out;

  @Option(
      names = "--gradient-checkpointing",
      description =
          "recompute each decoder layer in backward instead of keeping its activations: far less"
              + " memory per trained token, about one more forward per step (docs/train-real.md)")
  boolean gradientCheckpointing;

  @Option(
      names = "--backbone-storage",
      description =
          "fp32 or fp16: how the frozen backbone's matrices are stored (default: fp32 on the CPU,"
              + " fp16 on a GPU); fp16 halves the weights, products still run in fp32; LORA/DART"
              + " only")
  String backboneStorage;

  @Option(
      names = "--resume",
      description =
          "continue the latest checkpoint in OUT/grpo, made with the same settings (--steps may"
              + " grow; --steps equal to its step only redoes evaluation and the final save)")
  boolean resume;

  @Option(
      names = "--spark-master",
      description =
          "train distributed on Spark (e.g. local[2], spark://host:7077): executors roll out and"
              + " compute adapter gradients, this JVM updates (DART or LORA; README \"Distributed"
              + " training\"). Needs Spark 4.0 (Scala 2.13) on the class path: SPARK_HOME")
  String sparkMaster;

  @Option(
      names = "--spark-partitions",
      defaultValue = "0",
      description = "partitions per Spark job (default 0: Spark's default parallelism)")
  int sparkPartitions;

  @Option(
      names = "--spark-conf",
      description = "extra Spark setting KEY=VALUE (repeatable), e.g. spark.executor.cores=1")
  java.util.List<String> sparkConf = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    // an existing directory is TrainReal's to judge (--resume continues in it)
    OutputDir.check(out, "--out");
    deviceOption.select(); // before any tensor: the job's models go there
    TrainRealConfig c = config();
    TrainReal.Result r =
        sparkMaster == null
            ? TrainReal.run(c)
            : SparkTraining.run(c, sparkMaster, sparkPartitions, sparkConf, ownArgs());
    spec.commandLine()
        .getOut()
        .printf(
            Locale.ROOT,
            "%s: %d steps%s; weights in %s, metrics in %s%n",
            method,
            r.steps(),
            r.test() == null
                ? ""
                : String.format(Locale.ROOT, ", test EM %.3f", r.test().exactMatch()),
            r.weights(),
            r.runDir().resolve("metrics.jsonl"));
    return 0;
  }

  /** This subcommand's arguments, from which each executor rebuilds the same run. */
  private String[] ownArgs() {
    java.util.List<String> all = spec.commandLine().getParseResult().originalArgs();
    int at = all.indexOf(spec.name());
    return all.subList(at + 1, all.size()).toArray(String[]::new);
  }

  /** The run these options describe (also rebuilt by each executor from the same arguments). */
  TrainRealConfig config() {
    PromptTemplate t = rolloutOptions.promptTemplate(model);
    GrpoConfig g =
        GrpoConfig.builder()
            .totalSteps(steps)
            .promptsPerStep(promptsPerStep)
            .groupSize(groupSize)
            .learningRate(lr)
            .microBatchSize(microBatch)
            .rollout(rolloutOptions.rollout())
            .checkpointEvery(checkpointEvery)
            .seed(seed)
            .build();
    return new TrainRealConfig(
        model,
        train,
        test,
        source.toSource(),
        method,
        PolicyConfig.dart().withSeed(seed),
        g,
        fullLrRatio,
        t,
        rewardOption.reward,
        evalLimit,
        out,
        resume,
        initAdapters,
        new MemoryOptions(
            gradientCheckpointing,
            backboneStorage == null ? null : MemoryOptions.parseStorage(backboneStorage)));
  }
}

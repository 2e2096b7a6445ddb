package io.github.dartrl.examples.real;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dartrl.core.io.SafetensorsDType;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.policy.Method;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.cli.CliRun;
import io.github.dartrl.grpo.metrics.MetricsLog;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.train.FixedAnswerSft;
import io.github.dartrl.grpo.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The train-real path end to end on CPU: a tiny HF model directory, a Search-R1 corpus and FlashRAG
 * datasets written here, two GRPO steps with the full Search-R1 instruction, adapters and metrics
 * saved, then a resumed third step; and what the output directory may hold before a run, after a
 * failed one and after one killed while saving its result.
 */
class TrainRealTest {
  private static final List<CapitalsFixture.Fact> FACTS = CapitalsFixture.facts();

  @TempDir static Path inputs;
  @TempDir Path tmp;

  @BeforeAll
  static void writeInputs() throws Exception {
    CapitalsFixture.writeData(inputs, FACTS);
    CapitalsFixture.createModel(inputs.resolve("model"), FACTS);
  }

  /** The command line for {@code out}, without --steps. */
  static List<String> args(Path out, String... extra) {
    List<String> a =
        new ArrayList<>(
            List.of(
                "train-real",
                "--method",
                "DART",
                "--prompts-per-step",
                "2",
                "--group-size",
                "2",
                "--lr",
                "1e-3",
                "--checkpoint-every",
                "1",
                "--out",
                out.toString()));
    a.addAll(CapitalsFixture.trainRealInputs(inputs, "train.jsonl", "test.jsonl"));
    a.addAll(ROLLOUT);
    a.addAll(List.of(extra));
    return a;
  }

  /**
   * The runs' rollout settings (one tool call, 12 tokens a turn): train-real's, and those of every
   * {@code eval} that must reproduce its evaluation.
   */
  static final List<String> ROLLOUT = List.of("--max-turns", "1", "--turn-tokens", "12");

  /**
   * {@code dart4j eval} of {@code model} on the test set with the runs' {@link #ROLLOUT} settings,
   * into {@code out}, with {@code more} options (the adapters, the retriever).
   */
  static List<String> evalArgs(Path model, Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("eval", "--model", model.toString()));
    a.addAll(List.of("--data", inputs.resolve("test.jsonl").toString(), "--out", out.toString()));
    a.addAll(ROLLOUT);
    a.addAll(List.of(more));
    return a;
  }

  static CliRun run(List<String> args, String... extra) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of(extra));
    return CliRun.of(all);
  }

  @Test
  void memoryOptionsRunTheWholeRecipe() throws Exception {
    Path out = tmp.resolve("memory");
    CliRun r =
        run(args(out), "--steps", "1", "--gradient-checkpointing", "--backbone-storage", "fp16");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("DART: 1 steps, test EM");
    assertThat(MetricsLog.read(out.resolve("grpo/metrics.jsonl"))).hasSize(1);
    assertThat(out.resolve("adapters/reasoning/adapter_model.safetensors")).exists();
    Path bad = tmp.resolve("bf16");
    CliRun refused = run(args(bad), "--steps", "1", "--backbone-storage", "bf16");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("fp32 or fp16").contains("bf16 aborts");
    assertThat(bad).doesNotExist();
  }

  @Test
  void trainsTwoStepsSavesAdaptersAndMetricsThenResumes() throws Exception {
    Path out = tmp.resolve("out");
    List<String> args = args(out);
    CliRun first = run(args, "--steps", "2");
    assertThat(first.exit()).as(first.err()).isZero();

    assertThat(first.out()).contains("DART: 2 steps, test EM");
    assertThat(out.resolve("index")).isDirectory();
    assertThat(out.resolve("adapters/dart.json")).exists();
    for (String a : List.of("reasoning", "tool")) {
      assertThat(out.resolve("adapters/" + a + "/adapter_model.safetensors")).exists();
      assertThat(out.resolve("adapters/" + a + "/adapter_config.json")).exists();
    }
    assertThat(MetricsLog.read(out.resolve("grpo/metrics.jsonl"))).hasSize(2);
    assertThat(Trainer.latestCheckpoint(out.resolve("grpo"))).isPresent();
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertThat(summary.get("steps").asInt()).isEqualTo(2);
    assertThat(summary.get("method").asText()).isEqualTo("DART");
    assertThat(summary.get("learning_rate").asDouble()).isEqualTo(1e-3);
    assertThat(summary.get("test_count_by_source").get("nq").asInt()).isEqualTo(2);
    assertThat(summary.get("test_em").asDouble()).isBetween(0.0, 1.0);
    // the harness's phases and machine description, as in the other experiments' summaries
    assertThat(summary.get("seconds").get("GRPO").asDouble()).isPositive();
    assertThat(summary.get("seconds").has("total")).isTrue();
    assertThat(summary.get("environment").get("cores").asInt()).isPositive();

    // the same output directory again without --resume is refused; with it, training continues
    CliRun again = run(args, "--steps", "3");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("already holds a train-real run").contains("--resume");
    CliRun resumed = run(args(out, "--resume"), "--steps", "3");
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(MetricsLog.read(out.resolve("grpo/metrics.jsonl")))
        .extracting(m -> m.step())
        .containsExactly(1, 2, 3);

    // resume with other settings is refused, naming each (checkpoint vs now)
    List<String> other = args(out, "--resume", "--seed", "43");
    other.set(other.indexOf("--group-size") + 1, "3");
    other.set(other.indexOf("--lr") + 1, "2e-3");
    CliRun changed = run(other, "--steps", "4");
    assertThat(changed.exit()).isEqualTo(1);
    assertThat(changed.err())
        .contains("config.groupSize: 2 vs 3")
        .contains("config.learningRate: 0.001 vs 0.002")
        .contains("config.seed: 42 vs 43");
    assertThat(MetricsLog.read(out.resolve("grpo/metrics.jsonl"))).hasSize(3);
  }

  /**
   * {@code dart4j eval} on the saved adapters, with the run's retriever and rollout settings,
   * reproduces exactly the test evaluation train-real recorded in its summary (same Evaluator, same
   * policy, same batches).
   */
  @Test
  void evalCommandReproducesTheRecordedTestEvaluation() throws Exception {
    Path out = tmp.resolve("out");
    assertThat(run(args(out), "--steps", "2").exit()).isZero();
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    Path evalOut = tmp.resolve("eval");
    List<String> eval =
        evalArgs(
            inputs.resolve("model"),
            evalOut,
            "--adapters",
            out.resolve("adapters").toString(),
            "--index",
            out.resolve("index").toString());
    CliRun r = run(eval);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("on 2 questions");
    JsonNode got = new ObjectMapper().readTree(evalOut.resolve("eval.json").toFile());
    assertThat(got.get("em").asDouble()).isEqualTo(summary.get("test_em").asDouble());
    assertThat(got.get("em_by_source")).isEqualTo(summary.get("test_em_by_source"));
    assertThat(got.get("count_by_source")).isEqualTo(summary.get("test_count_by_source"));
    assertThat(got.get("search_rate").asDouble())
        .isEqualTo(summary.get("test_search_rate").asDouble());
    assertThat(got.get("greedy").asBoolean()).isTrue();
    List<String> rows = Files.readAllLines(evalOut.resolve("results.jsonl"));
    assertThat(rows).hasSize(2);
    assertThat(new ObjectMapper().readTree(rows.get(0)).get("id").asText()).isEqualTo("q4");
    assertThat(new ObjectMapper().readTree(rows.get(1)).get("golden_answers").get(0).asText())
        .isEqualTo("vienna");
    assertThat(Files.readAllLines(evalOut.resolve("em_by_source.csv")))
        .hasSize(3)
        .startsWith("data_source,questions,em")
        .anySatisfy(l -> assertThat(l).startsWith("nq,2,"))
        .anySatisfy(l -> assertThat(l).startsWith("all,2,"));

    // the output directory now holds results: a second evaluation into it is refused
    CliRun again = run(eval);
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("output directory is not empty");
    // a single-adapter evaluation of the same adapters (only the reasoning adapter active)
    List<String> reasoningOnly = new ArrayList<>(eval);
    reasoningOnly.set(reasoningOnly.indexOf("--out") + 1, tmp.resolve("eval-reas").toString());
    reasoningOnly.addAll(List.of("--method", "DART_REASONING_ONLY"));
    CliRun single = run(reasoningOnly);
    assertThat(single.exit()).as(single.err()).isZero();
    JsonNode reas = new ObjectMapper().readTree(tmp.resolve("eval-reas/eval.json").toFile());
    assertThat(reas.get("eval_as").asText()).isEqualTo("DART_REASONING_ONLY");
    assertThat(reas.get("count_by_source").get("nq").asInt()).isEqualTo(2);
    CliRun help = run(List.of("eval", "--help"));
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("--adapters").contains("--retriever-url").contains("--limit");
  }

  /**
   * {@code dart4j eval} counts exact matches right: a model fine-tuned to answer {@code vienna} to
   * every question (full SFT, saved as an HF directory) scores EM exactly 1/2 on the test set
   * (austria right, portugal wrong), with the corpus indexed into the output directory. A command
   * that always reported 0, mixed up rows and answers, or scored the wrong text would miss it.
   */
  @Test
  void evalCommandCountsExactMatches() throws Exception {
    Path base = inputs.resolve("model");
    Path vienna = tmp.resolve("vienna");
    try (NDManager root = NDManager.newBaseManager("PyTorch");
        DecoderModel m = HfCheckpoint.load(base, root);
        TextTokenizer tok = TextTokenizer.load(base);
        Policy p = Policy.create(m, PolicyConfig.of(Method.FULL, 4), tok)) {
      List<String> prompts = new ArrayList<>();
      for (CapitalsFixture.Fact f : FACTS) {
        prompts.add(PromptTemplate.searchR1().apply(f.question()));
      }
      FixedAnswerSft.teach(p, tok, prompts, "<answer> vienna </answer>");
      HfCheckpoint.save(m, vienna, SafetensorsDType.F32);
    }
    try (Stream<Path> files = Files.list(base)) {
      for (Path f : files.toList()) {
        if (!Files.exists(vienna.resolve(f.getFileName()))) {
          Files.copy(f, vienna.resolve(f.getFileName()));
        }
      }
    }
    Path out = tmp.resolve("eval");
    CliRun r = run(evalArgs(vienna, out, "--corpus", inputs.resolve("corpus.jsonl").toString()));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode got = new ObjectMapper().readTree(out.resolve("eval.json").toFile());
    assertThat(got.get("em").asDouble()).isEqualTo(0.5);
    assertThat(got.get("em_by_source").get("nq").asDouble()).isEqualTo(0.5);
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(out.resolve("results.jsonl"))) {
      rows.add(new ObjectMapper().readTree(line));
    }
    assertThat(rows)
        .extracting(n -> n.get("response").asText().trim())
        .containsOnly("<answer> vienna </answer>");
    assertThat(rows).extracting(n -> n.get("em").asBoolean()).containsExactly(false, true);
    assertThat(out.resolve("index")).isDirectory();
  }

  @Test
  void aKillDuringTheFinalSaveIsRepairedByResume() throws Exception {
    Path out = tmp.resolve("out");
    assertThat(run(args(out), "--steps", "2").exit()).isZero();
    Path grpo = out.resolve("grpo");
    Path step1 = grpo.resolve("checkpoints/step-000001/policy/adapters");
    Path step2 = grpo.resolve("checkpoints/step-000002/policy/adapters");
    // the state a SIGKILL during the final save leaves: the last checkpoint is written, adapters/
    // still holds earlier weights, a half-written staging directory lies next to it, no summary
    Path adapters = out.resolve("adapters");
    for (String a : List.of("reasoning", "tool")) {
      Files.copy(
          step1.resolve(a + "/adapter_model.safetensors"),
          adapters.resolve(a + "/adapter_model.safetensors"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    Path staging = Files.createDirectories(out.resolve(".adapters.tmp-123/reasoning"));
    Files.write(staging.resolve("adapter_model.safetensors"), new byte[] {1, 2, 3});
    Files.delete(out.resolve("summary.json"));
    assertThat(bytes(adapters, "reasoning")).isNotEqualTo(bytes(step2, "reasoning"));

    // more steps than asked for earlier is fine; fewer than the checkpoint's is a clear refusal
    CliRun fewer = run(args(out, "--resume"), "--steps", "1");
    assertThat(fewer.exit()).isEqualTo(1);
    assertThat(fewer.err())
        .contains("is at step 2, past the 1 steps asked for")
        .contains("ask for more than 2 to train further, or for exactly 2 to only finish the run");

    CliRun repaired = run(args(out, "--resume"), "--steps", "2");
    assertThat(repaired.exit()).as(repaired.err()).isZero();
    assertThat(repaired.out()).contains("DART: 2 steps, test EM");
    for (String a : List.of("reasoning", "tool")) {
      assertThat(bytes(adapters, a)).as(a).isEqualTo(bytes(step2, a));
    }
    assertThat(out.resolve(".adapters.tmp-123")).doesNotExist();
    assertThat(
            new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("steps").asInt())
        .isEqualTo(2);
    assertThat(MetricsLog.read(grpo.resolve("metrics.jsonl"))).hasSize(2);
  }

  @Test
  void fullFineTuningSavesAnHfModelThatResumeRewritesWhole() throws Exception {
    Path out = tmp.resolve("out");
    List<String> args = args(out);
    args.set(args.indexOf("--method") + 1, "FULL");
    CliRun first = run(args, "--steps", "1");
    assertThat(first.exit()).as(first.err()).isZero();
    Path model = out.resolve("model");
    for (String f : List.of("config.json", "model.safetensors", "tokenizer.json")) {
      assertThat(model.resolve(f)).isRegularFile();
    }
    byte[] weights = Files.readAllBytes(model.resolve("model.safetensors"));
    // killed during the final save: staging left next to a stale model/
    Files.write(model.resolve("model.safetensors"), new byte[] {0});
    Files.createDirectories(out.resolve(".model.tmp-9"));
    List<String> resume = new ArrayList<>(args);
    resume.add("--resume");
    CliRun repaired = run(resume, "--steps", "1");
    assertThat(repaired.exit()).as(repaired.err()).isZero();
    assertThat(Files.readAllBytes(model.resolve("model.safetensors"))).isEqualTo(weights);
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("index", "grpo", "model", "summary.json");
    }
  }

  private static byte[] bytes(Path adapters, String adapter) throws Exception {
    return Files.readAllBytes(adapters.resolve(adapter + "/adapter_model.safetensors"));
  }

  @Test
  void anOutputDirectoryHoldingResultsOrOtherFilesIsRefusedAndKept() throws Exception {
    // adapters and a summary of an earlier run (its grpo/ deleted): not replaced silently
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.createDirectories(out.resolve("adapters"));
    Files.writeString(out.resolve("adapters/dart.json"), "{}");
    Files.writeString(out.resolve("summary.json"), "{\"steps\": 7}");
    CliRun r = run(args(out), "--steps", "1");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .contains("already holds a train-real run (adapters, summary.json)")
        .contains("--resume");
    assertThat(Files.readString(out.resolve("summary.json"))).isEqualTo("{\"steps\": 7}");
    assertThat(Files.readString(out.resolve("adapters/dart.json"))).isEqualTo("{}");
    assertThat(out.resolve("grpo")).doesNotExist();
    // --resume needs a checkpoint
    CliRun resume = run(args(out, "--resume"), "--steps", "1");
    assertThat(resume.exit()).isEqualTo(1);
    assertThat(resume.err()).contains("holds no checkpoint to resume from");

    Path mine = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(mine.resolve("notes.txt"), "x");
    CliRun other = run(args(mine), "--steps", "1");
    assertThat(other.exit()).isEqualTo(1);
    assertThat(other.err()).contains("holds files train-real did not write (notes.txt)");
    assertThat(Files.readString(mine.resolve("notes.txt"))).isEqualTo("x");
    try (Stream<Path> s = Files.list(mine)) {
      assertThat(s).hasSize(1);
    }
  }

  @Test
  void aRunThatFailsBeforeItsFirstCheckpointDoesNotBlockARerun() throws Exception {
    Path out = tmp.resolve("out");
    CliRun failed;
    // the first checkpoint cannot be written, as on a full disk (step 1's metrics are logged)
    System.setProperty("dart4j.test.checkpoint.fail", "step-000001");
    try {
      failed = run(args(out), "--steps", "1");
    } finally {
      System.clearProperty("dart4j.test.checkpoint.fail");
    }
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err()).contains("No space left on device");
    assertThat(out.resolve("grpo")).doesNotExist();
    assertThat(out.resolve("index")).isDirectory(); // kept: the rerun reuses it
    CliRun rerun = run(args(out), "--steps", "1");
    assertThat(rerun.exit()).as(rerun.err()).isZero();
    assertThat(MetricsLog.read(out.resolve("grpo/metrics.jsonl"))).hasSize(1);

    // a grpo/ that a killed run left without a checkpoint: the refusal says what to do
    Path killed = tmp.resolve("killed");
    Files.createDirectories(killed.resolve("grpo"));
    Files.writeString(killed.resolve("grpo/metrics.jsonl"), "{\"step\":1}\n");
    CliRun blocked = run(args(killed), "--steps", "1");
    assertThat(blocked.exit()).isEqualTo(1);
    assertThat(blocked.err())
        .contains("stopped before its first checkpoint")
        .contains("delete " + killed.resolve("grpo"));
  }

  @Test
  void dartCanStartFromAPlainPeftAdapter() throws Exception {
    // a LORA run's adapter (rank 16, alpha 32) is a plain PEFT directory
    Path lora = tmp.resolve("lora");
    List<String> loraArgs = args(lora);
    loraArgs.set(loraArgs.indexOf("--method") + 1, "LORA");
    CliRun first = run(loraArgs, "--steps", "1");
    assertThat(first.exit()).as(first.err()).isZero();
    Path peft = lora.resolve("adapters/default");
    Path out = tmp.resolve("dart");
    CliRun dart = run(args(out, "--init-adapters", peft.toString()), "--steps", "1");
    assertThat(dart.exit()).as(dart.err()).isZero();
    for (String a : List.of("reasoning", "tool")) {
      JsonNode config =
          new ObjectMapper()
              .readTree(out.resolve("adapters/" + a + "/adapter_config.json").toFile());
      // the PEFT adapter's rank and alpha, not DART's default rank 8 / alpha 16
      assertThat(config.get("r").asInt()).as(a).isEqualTo(16);
      assertThat(config.get("lora_alpha").asInt()).as(a).isEqualTo(32);
    }
    List<String> full = args(tmp.resolve("full"), "--init-adapters", peft.toString());
    full.set(full.indexOf("--method") + 1, "FULL");
    CliRun refused = run(full, "--steps", "1");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("DART or LORA");
  }
}

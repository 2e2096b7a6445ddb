package io.github.dartrl.examples.bench;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.generate.DecodeSession;
import io.github.dartrl.core.generate.SamplingParams;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.MemoryOptions;
import io.github.dartrl.core.model.ModelConfig;
import io.github.dartrl.core.optim.Gradients;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.policy.SequenceBatch;
import io.github.dartrl.core.routing.AdapterSchedule;
import io.github.dartrl.core.routing.TokenRole;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.examples.JobDevice;
import io.github.dartrl.examples.NativeSwitches;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.reward.RewardFunctions;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.TrainResult;
import io.github.dartrl.grpo.train.Trainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.StringJoiner;

/**
 * One scenario of {@link MemoryBench} in a JVM of its own (peaks are per process): loads the model
 * with the given {@link MemoryOptions}, runs the scenario, and prints {@code RESULT peak_kb=…
 * seconds=… tokens=…} where the peak is Linux's VmHWM of this process and the seconds those of the
 * scenario after loading (a GRPO step's wall time; a decode's prefill plus generation). GRPO
 * scenarios also write the training-forward log-probs of a fixed sequence to a file, so the parent
 * can compare each option with plain fp32. Then one {@code PHASE name=kB} line per phase ({@link
 * PhaseSampler}): the largest resident size sampled in it.
 *
 * <p>Arguments: {@code SCENARIO MODEL_DIR CHECKPOINTING(true|false) STORAGE(fp32|fp16) MICRO_BATCH
 * TURN_TOKENS LOGPROB_FILE RUN_DIR}.
 */
public final class MemoryScenario {
  /** What a child measures. */
  enum Kind {
    /** Load, then greedy decode of 32 tokens after an 8-token prompt. */
    DECODE_8,
    /** Load, then a 512-token prompt and 32 greedy tokens. */
    PROMPT_512,
    /** Load, then one GRPO step of 1 prompt × G = 5 (DART). */
    GRPO
  }

  private MemoryScenario() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("offline", "true");
    NativeSwitches.apply();
    if (args.length != 8) {
      throw new IllegalArgumentException(
          "usage: MemoryScenario SCENARIO MODEL_DIR CHECKPOINTING STORAGE MICRO_BATCH TURN_TOKENS"
              + " LOGPROB_FILE RUN_DIR");
    }
    Kind kind = Kind.valueOf(args[0]);
    Path dir = Path.of(args[1]);
    MemoryOptions options =
        new MemoryOptions(Boolean.parseBoolean(args[2]), MemoryOptions.parseStorage(args[3]));
    int microBatch = Integer.parseInt(args[4]);
    int turnTokens = Integer.parseInt(args[5]);
    PhaseSampler phases = new PhaseSampler(Thread.currentThread());
    try (NDManager root = JobDevice.newRoot();
        DecoderModel model = options.load(dir, root)) {
      long t0 = System.nanoTime();
      double tokens =
          kind == Kind.GRPO
              ? grpo(model, dir, microBatch, turnTokens, Path.of(args[6]), Path.of(args[7]))
              : decode(model, kind == Kind.DECODE_8 ? 8 : 512, 32);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "RESULT peak_kb=%.0f seconds=%.3f tokens=%.1f%n",
          MemoryProbe.status("VmHWM:"),
          seconds,
          tokens);
    } finally {
      phases.close();
    }
    // the largest sampled resident size per phase: which phase sets the peak
    phases.peaks().forEach((k, v) -> System.out.printf(Locale.ROOT, "PHASE %s=%.0f%n", k, v));
  }

  private static double decode(DecoderModel model, int prompt, int newTokens) {
    long[] ids = fixedIds(model.config(), prompt, 5);
    try (DecodeSession s =
        new DecodeSession(model, List.of(ids), prompt + newTokens + 1, AdapterSchedule.NONE)) {
      s.generate(SamplingParams.greedy(newTokens), new boolean[] {true}, x -> "");
    }
    return prompt + newTokens;
  }

  /** Token ids of ordinary words (past the special tokens and tags), deterministic. */
  static long[] fixedIds(ModelConfig c, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      ids[i] = 64 + rng.nextInt(c.vocabSize() / 2);
    }
    return ids;
  }

  private static double grpo(
      DecoderModel model, Path dir, int microBatch, int turnTokens, Path lpFile, Path runDir)
      throws Exception {
    Retriever retriever =
        (queries, k) -> {
          List<List<Passage>> out = new ArrayList<>();
          for (String q : queries) {
            List<Passage> ps = new ArrayList<>();
            for (int i = 0; i < k; i++) {
              ps.add(new Passage("" + i, "w1", "w1 w2 w3 w4 w5 w6 w7 w8", 1));
            }
            out.add(ps);
          }
          return out;
        };
    GrpoConfig cfg =
        GrpoConfig.builder()
            .totalSteps(1)
            .promptsPerStep(1)
            .groupSize(5)
            .learningRate(1e-5)
            .microBatchSize(microBatch)
            .checkpointEvery(0)
            .logEntropy(false)
            .rollout(
                RolloutConfig.searchR1()
                    .withMaxTurns(1)
                    .withTurnTokens(turnTokens, turnTokens)
                    .withTopK(3))
            .build();
    try (TextTokenizer tok = TextTokenizer.load(dir);
        Policy policy = Policy.create(model, PolicyConfig.dart(), tok)) {
      writeLogProbs(policy, lpFile);
      Trainer.Builder b =
          Trainer.builder()
              .policy(policy)
              .tokenizer(tok)
              .retriever(retriever)
              .promptTemplate(PromptTemplate.searchR1())
              .reward(RewardFunctions.named("em"))
              .trainData(QaDataset.of(List.of(QaExample.of("q0", "w10 w11 w12 ?", List.of("w1")))))
              .config(cfg)
              .runDir(runDir);
      TrainResult r;
      try (Trainer t = b.build()) {
        r = t.fit();
      }
      var step = r.history().get(r.history().size() - 1);
      return step.value("perf/tokens_per_s") * step.value("perf/step_time_s") / 5;
    }
  }

  /**
   * The training forward's log-probs (under a gradient collector, so checkpointing takes its own
   * path) of a fixed 64-token sequence, one per line.
   */
  private static void writeLogProbs(Policy policy, Path file) throws Exception {
    ModelConfig c = policy.model().config();
    long[] ids = fixedIds(c, 64, 9);
    int[] roles = new int[ids.length];
    for (int i = 0; i < roles.length; i++) {
      roles[i] = (i < 8 ? TokenRole.PROMPT : TokenRole.REASONING).code();
    }
    SequenceBatch batch = new SequenceBatch(List.of(ids), List.of(roles), 0);
    float[][] lp = new float[1][];
    try (NDManager s = policy.model().newScope();
        Gradients g = new Gradients(policy.trainableParameters(), s)) {
      g.backward(
          () -> {
            var l = policy.logProbs(s, batch, 1f);
            lp[0] = l.toFloatArray();
            return l.sum();
          });
    }
    StringJoiner out = new StringJoiner("\n");
    for (int i = 0; i + 1 < lp[0].length; i++) { // the last column predicts nothing
      out.add(Float.toString(lp[0][i]));
    }
    Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
  }
}

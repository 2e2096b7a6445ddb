package io.github.dartrl.grpo.train;

import io.github.dartrl.core.model.TinyModels;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.data.QaExample;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.reward.RewardResult;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

/**
 * A deterministic tiny GRPO run (d=32, word-level vocabulary with atomic Search-R1 tags, an
 * in-memory retriever) shared by the fault tests, the crash test and the crash test's child JVM, so
 * that runs in different processes train exactly the same thing.
 */
public final class TinyRun {
  public static final List<String> WORDS =
      List.of("who", "is", "the", "capital", "of", "paris", "france", "city", "question", ":", ".");
  public static final TinyModels.Size SIZE = new TinyModels.Size(32, 2, 4, 2, 64, 512);
  public static final PromptTemplate SHORT = new PromptTemplate("question : {question}", true);

  /** Reward = share of response words that are "paris". */
  public static final RewardFunction PARIS =
      in -> {
        String[] w = in.response().trim().split("\\s+");
        long hits = Arrays.stream(w).filter("paris"::equals).count();
        return new RewardResult(
            w.length == 0 ? 0 : hits / (double) w.length, false, null, Map.of());
      };

  private TinyRun() {}

  public static void createModel(Path dir) {
    TinyModels.create(dir, WORDS, SIZE, 8);
  }

  public static QaDataset data() {
    String[] qs = {
      "who is the capital",
      "the city of france",
      "capital of the city",
      "who is france",
      "the capital of france",
      "city who"
    };
    List<QaExample> xs = new ArrayList<>();
    for (int i = 0; i < qs.length; i++) {
      xs.add(QaExample.of("q" + i, qs[i], List.of("paris")));
    }
    return QaDataset.of(xs);
  }

  /** Two prompts × 8 completions, up to two searches each: every step calls the retriever. */
  static GrpoConfig.Builder config() {
    return GrpoConfig.builder()
        .totalSteps(4)
        .promptsPerStep(2)
        .groupSize(8)
        .learningRate(2e-2)
        .warmupRatio(0)
        .microBatchSize(8)
        .checkpointEvery(1)
        .keepCheckpoints(10)
        .logEntropy(false)
        .rollout(RolloutConfig.searchR1().withMaxTurns(2).withTurnTokens(10, 16).withTopK(1))
        .seed(7);
  }

  static Trainer.Builder trainer(
      Policy p, TextTokenizer tok, GrpoConfig cfg, Path runDir, Retriever r) {
    return Trainer.builder()
        .policy(p)
        .tokenizer(tok)
        .retriever(r)
        .promptTemplate(SHORT)
        .reward(PARIS)
        .trainData(data())
        .config(cfg)
        .runDir(runDir);
  }

  /** A retriever that answers every query with one fixed passage, or fails on chosen calls. */
  static final class ScriptedRetriever implements Retriever {
    final AtomicInteger calls = new AtomicInteger();
    volatile IntPredicate failOnCall = call -> false;

    @Override
    public List<List<Passage>> search(List<String> queries, int topK) {
      int call = calls.incrementAndGet();
      if (failOnCall.test(call)) {
        throw new RetrieverException("http://127.0.0.1:9/retrieve: connection refused");
      }
      List<List<Passage>> out = new ArrayList<>();
      queries.forEach(q -> out.add(List.of(new Passage("1", "paris", "the city is paris .", 1))));
      return out;
    }
  }

  /** Every regular file of a directory tree by relative path, with its bytes. */
  static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(f).toString(), Files.readAllBytes(f));
      }
    }
    return m;
  }

  /** The weight and optimizer files of a checkpoint (everything but the state file). */
  static Map<String, byte[]> weights(Path checkpoint) throws IOException {
    Map<String, byte[]> m = files(checkpoint);
    m.remove(TrainerCheckpoint.STATE_FILE);
    return m;
  }
}

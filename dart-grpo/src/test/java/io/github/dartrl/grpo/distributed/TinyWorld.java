package io.github.dartrl.grpo.distributed;

import ai.djl.ndarray.NDManager;
import io.github.dartrl.core.model.DecoderModel;
import io.github.dartrl.core.model.GradMode;
import io.github.dartrl.core.model.HfCheckpoint;
import io.github.dartrl.core.model.HfNames;
import io.github.dartrl.core.policy.Policy;
import io.github.dartrl.core.policy.PolicyConfig;
import io.github.dartrl.core.text.TextTokenizer;
import io.github.dartrl.grpo.data.QaDataset;
import io.github.dartrl.grpo.loss.GrpoLoss;
import io.github.dartrl.grpo.loss.KlEstimator;
import io.github.dartrl.grpo.loss.LossAggregation;
import io.github.dartrl.grpo.retrieval.Passage;
import io.github.dartrl.grpo.retrieval.Retriever;
import io.github.dartrl.grpo.retrieval.RetrieverException;
import io.github.dartrl.grpo.reward.RewardFunction;
import io.github.dartrl.grpo.rollout.PromptTemplate;
import io.github.dartrl.grpo.rollout.RolloutConfig;
import io.github.dartrl.grpo.train.ExecutorStep;
import io.github.dartrl.grpo.train.GrpoConfig;
import io.github.dartrl.grpo.train.RetrieverFailurePolicy;
import io.github.dartrl.grpo.train.TinyRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny world of the distributed tests (d=32, word vocabulary, a fixed in-memory retriever, the
 * "paris" reward), built the same way on the driver and, through {@link Recipe}, on executors.
 */
final class TinyWorld {
  /** TinyRun's prompt and "paris" reward: the local trainer's tests and these use one world. */
  static final PromptTemplate SHORT = TinyRun.SHORT;

  static final RewardFunction PARIS = TinyRun.PARIS;

  private TinyWorld() {}

  static void createModel(Path dir) {
    TinyRun.createModel(dir);
  }

  /** Loads the model as every test of this world uses it (a wider embedding, see TrainerTest). */
  static DecoderModel load(Path dir, NDManager root) {
    return load(dir, root, true);
  }

  /** Without {@code widen}, the near-uniform HF init: it searches often (TinyRun's model). */
  static DecoderModel load(Path dir, NDManager root, boolean widen) {
    DecoderModel m = HfCheckpoint.load(dir, root);
    if (!widen) {
      return m;
    }
    try (var off = GradMode.disabled()) {
      m.parameters().get(HfNames.EMBED).muli(10f);
    }
    return m;
  }

  static QaDataset data() {
    return TinyRun.data();
  }

  /** Four prompts × G=2 per step, one search at most, two micro-batches per update. */
  static GrpoConfig config() {
    return config(false);
  }

  /**
   * Several updates per step (2 epochs × 2 mini-batches), an entropy bonus and {@code aggregation}:
   * every loss denominator of a mini-batch must reach the workers.
   */
  static GrpoConfig multi(LossAggregation aggregation) {
    return config().toBuilder()
        .ppoEpochs(2)
        .miniBatches(2)
        .logEntropy(true)
        .loss(new GrpoLoss.Config(0.2, 0.2, 0, KlEstimator.K3, 0.001, 0.01, aggregation, 16))
        .build();
  }

  /**
   * With {@code searching}: two prompts × G=8, up to two searches each, so that every step calls
   * the retriever (TinyRun's setting).
   */
  static GrpoConfig config(boolean searching) {
    if (searching) {
      return GrpoConfig.builder()
          .totalSteps(3)
          .promptsPerStep(2)
          .groupSize(8)
          .learningRate(2e-2)
          .warmupRatio(0)
          .microBatchSize(8)
          .logEntropy(false)
          .rollout(RolloutConfig.searchR1().withMaxTurns(2).withTurnTokens(10, 16).withTopK(1))
          .seed(7)
          .build();
    }
    return GrpoConfig.builder()
        .totalSteps(3)
        .promptsPerStep(4)
        .groupSize(2)
        .learningRate(2e-2)
        .warmupRatio(0)
        .microBatchSize(4)
        .checkpointEvery(1)
        .logEntropy(false)
        .rollout(RolloutConfig.searchR1().withMaxTurns(1).withTurnTokens(10, 16).withTopK(1))
        .seed(7)
        .build();
  }

  /** Answers every query with one passage; fails every call when {@code failing}. */
  record FixedRetriever(boolean failing) implements Retriever {
    @Override
    public List<List<Passage>> search(List<String> queries, int topK) {
      if (failing) {
        throw new RetrieverException("http://127.0.0.1:9/retrieve: connection refused");
      }
      List<List<Passage>> out = new ArrayList<>();
      queries.forEach(q -> out.add(List.of(new Passage("1", "paris", "the city is paris .", 1))));
      return out;
    }
  }

  /** Builds this world's worker on an executor. */
  record Recipe(
      String modelDir, String backboneKey, boolean failingRetriever, LossAggregation multi)
      implements WorkerRecipe {
    static Recipe of(Path dir) {
      return new Recipe(dir.toString(), ModelKey.of(dir), false, null);
    }

    GrpoConfig config() {
      return multi != null ? TinyWorld.multi(multi) : TinyWorld.config(failingRetriever);
    }

    @Override
    public String modelKey() { // a worker with a failing retriever is a different worker
      return backboneKey + (failingRetriever ? "#failing-retriever" : "") + "#" + multi;
    }

    @Override
    public ExecutorStep open() {
      NDManager root = NDManager.newBaseManager("PyTorch");
      DecoderModel model = load(Path.of(modelDir), root, !failingRetriever);
      TextTokenizer tok = TextTokenizer.load(Path.of(modelDir));
      Policy policy = Policy.create(model, PolicyConfig.dart(), tok);
      RetrieverFailurePolicy noWait = RetrieverFailurePolicy.stop(1, java.time.Duration.ZERO);
      return new ExecutorStep(
              policy, tok, new FixedRetriever(failingRetriever), SHORT, PARIS, config(), noWait)
          .closing(root, model, tok, policy);
    }
  }
}
